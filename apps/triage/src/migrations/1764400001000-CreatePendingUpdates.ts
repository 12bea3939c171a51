import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Updates that arrived before their incident's report (separate consumers; after an outage
 * the report may be minutes behind). They wait here, not in redeliveries that would run out,
 * and are applied when the report is triaged.
 */
export class CreatePendingUpdates1764400001000 implements MigrationInterface {
  name = 'CreatePendingUpdates1764400001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE pending_update (
        event_id uuid PRIMARY KEY,
        incident_id uuid NOT NULL,
        source_version integer NOT NULL,
        event jsonb NOT NULL,
        parked_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX pending_update_incident_idx ON pending_update (incident_id, source_version)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE pending_update`);
  }
}
