import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema, quoteIdent } from '@watchfloor/persistence';

/** The inbox: ids of events each consumer of the service has handled, for ever. */
export class CreateInbox1700000000200 implements MigrationInterface {
  name = 'CreateInbox1700000000200';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = quoteIdent(migrationSchema(queryRunner));
    await queryRunner.query(`
      CREATE TABLE ${schema}.inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        handled_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${quoteIdent(migrationSchema(queryRunner))}.inbox`);
  }
}
