import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain: append-only entries and signed checkpoints, and the one-row chain head
 * that appends lock (so two replicas never fork the chain). UPDATE, DELETE and TRUNCATE of
 * entries and checkpoints are refused by triggers, and the privileges to do them are
 * revoked from everyone, the owner included (a superuser ignores both: see docs/audit.md).
 */
export class CreateAuditChain1764300000000 implements MigrationInterface {
  name = 'CreateAuditChain1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE entry (
        sequence bigint PRIMARY KEY CHECK (sequence >= 1),
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        subject text NOT NULL,
        incident_ids uuid[] NOT NULL,
        actor text,
        tlp text NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        event text NOT NULL, -- RFC 8785 canonical JSON of the CloudEvent as received; text keeps its bytes
        event_hash char(64) NOT NULL,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL
      )`);
    // Filters of GET /v1/audit/entries and the incident timeline; all ordered by sequence.
    await queryRunner.query(`CREATE INDEX entry_incident_ids_idx ON entry USING gin (incident_ids)`);
    await queryRunner.query(`CREATE INDEX entry_type_idx ON entry (type, sequence)`);
    await queryRunner.query(`CREATE INDEX entry_actor_idx ON entry (actor, sequence)`);
    await queryRunner.query(`CREATE INDEX entry_occurred_at_idx ON entry (occurred_at)`);

    await queryRunner.query(`
      CREATE TABLE checkpoint (
        sequence bigint PRIMARY KEY CHECK (sequence >= 1),
        hash char(64) NOT NULL,
        signed_at timestamptz NOT NULL,
        signature text NOT NULL,
        key_id text NOT NULL,
        event_id uuid NOT NULL UNIQUE
      )`);

    // One row: the last entry's sequence and hash, and the last checkpoint's sequence.
    await queryRunner.query(`
      CREATE TABLE chain_head (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        sequence bigint NOT NULL,
        hash char(64) NOT NULL,
        checkpointed_sequence bigint NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO chain_head (sequence, hash, checkpointed_sequence) VALUES (0, repeat('0', 64), 0)`);

    await queryRunner.query(`
      CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    for (const table of ['entry', 'checkpoint']) {
      await queryRunner.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()`);
      await queryRunner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION refuse_audit_change()`);
      // The owner keeps only what appending needs. It could grant itself more again, which
      // is why production runs the service as a role that owns nothing (docs/audit.md).
      await queryRunner.query(`REVOKE ALL ON ${table} FROM PUBLIC`);
      await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${table} FROM CURRENT_USER`);
    }
  }

  async down(): Promise<void> {
    throw new Error('the audit chain is never dropped by a migration');
  }
}
