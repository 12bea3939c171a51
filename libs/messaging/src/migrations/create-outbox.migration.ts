import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema, quoteIdent } from '@watchfloor/persistence';

/**
 * The transactional outbox of a service (ARCHITECTURE.md). Reads the schema from the data
 * source, so every service lists this same class among its migrations.
 */
export class CreateOutbox1700000000100 implements MigrationInterface {
  name = 'CreateOutbox1700000000100';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = quoteIdent(migrationSchema(queryRunner));
    await queryRunner.query(`
      CREATE TABLE ${schema}.outbox (
        seq bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        type text NOT NULL,
        subject text NOT NULL,
        payload json NOT NULL, -- json, not jsonb: the relay publishes the bytes as written
        headers jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    // The relay's claim query reads only unpublished rows, in order.
    await queryRunner.query(`CREATE INDEX outbox_unpublished_idx ON ${schema}.outbox (seq) WHERE published_at IS NULL`);
    // Clean-up and replay find rows by time.
    await queryRunner.query(`CREATE INDEX outbox_published_at_idx ON ${schema}.outbox (published_at) WHERE published_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX outbox_created_at_idx ON ${schema}.outbox (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${quoteIdent(migrationSchema(queryRunner))}.outbox`);
  }
}
