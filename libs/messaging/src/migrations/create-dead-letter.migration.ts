import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema, quoteIdent } from '@watchfloor/persistence';

/**
 * Messages a consumer of the service gave up on, with the error. The body is kept as
 * text: a poison message need not be JSON. One row per (consumer, stream sequence), so a
 * dead letter written twice (a crash before the term) stays one row.
 */
export class CreateDeadLetter1700000000300 implements MigrationInterface {
  name = 'CreateDeadLetter1700000000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = quoteIdent(migrationSchema(queryRunner));
    await queryRunner.query(`
      CREATE TABLE ${schema}.dead_letter (
        id bigserial PRIMARY KEY,
        consumer text NOT NULL,
        stream text NOT NULL,
        stream_seq bigint NOT NULL,
        event_id uuid,
        type text,
        subject text NOT NULL,
        headers jsonb NOT NULL,
        payload text NOT NULL,
        error text NOT NULL,
        deliveries integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        replayed_at timestamptz,
        UNIQUE (consumer, stream, stream_seq)
      )`);
    await queryRunner.query(`CREATE INDEX dead_letter_created_at_idx ON ${schema}.dead_letter (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${quoteIdent(migrationSchema(queryRunner))}.dead_letter`);
  }
}
