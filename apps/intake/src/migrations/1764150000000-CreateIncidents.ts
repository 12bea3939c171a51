import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Intake's record of submissions, their updates and the submitter-facing status. */
export class CreateIncidents1764150000000 implements MigrationInterface {
  name = 'CreateIncidents1764150000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE incident (
        id uuid PRIMARY KEY,
        reference text NOT NULL UNIQUE,
        jurisdiction text NOT NULL,
        category text NOT NULL,
        tlp text NOT NULL,
        submission jsonb NOT NULL,
        submitted_by jsonb NOT NULL,
        source_system text,
        source_reference text,
        idempotency_subject text,
        idempotency_key text,
        request_hash text,
        status text NOT NULL DEFAULT 'received',
        priority text,
        acknowledged_at timestamptz,
        history jsonb NOT NULL DEFAULT '[]',
        version integer NOT NULL DEFAULT 1,
        received_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        CONSTRAINT incident_source_unique UNIQUE (source_system, source_reference),
        CONSTRAINT incident_idempotency_unique UNIQUE (idempotency_subject, idempotency_key),
        CONSTRAINT incident_source_complete CHECK ((source_system IS NULL) = (source_reference IS NULL)),
        CONSTRAINT incident_idempotency_complete CHECK ((idempotency_key IS NULL) = (request_hash IS NULL))
      )`);
    // Lists are newest first, filtered by jurisdiction prefix and status.
    await queryRunner.query(`CREATE INDEX incident_received_idx ON incident (received_at DESC, id DESC)`);
    await queryRunner.query(`CREATE INDEX incident_jurisdiction_idx ON incident (jurisdiction text_pattern_ops, received_at DESC)`);
    await queryRunner.query(`
      CREATE TABLE incident_update (
        id uuid PRIMARY KEY,
        incident_id uuid NOT NULL REFERENCES incident (id),
        note text,
        changes jsonb NOT NULL,
        submitted_by jsonb NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX incident_update_incident_idx ON incident_update (incident_id, created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE incident_update`);
    await queryRunner.query(`DROP TABLE incident`);
  }
}
