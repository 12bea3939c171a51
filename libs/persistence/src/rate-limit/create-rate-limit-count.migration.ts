import type { MigrationInterface, QueryRunner } from 'typeorm';
import { migrationSchema, quoteIdent } from '../migration-schema';

/**
 * The rate limit's counts shared by a service's replicas: requests per caller key and window.
 * UNLOGGED: counts of the last two minutes need no WAL, and after a crash (or on a promoted
 * standby) the table starts empty, which only forgets a minute's counts.
 */
export class CreateRateLimitCount1767000000000 implements MigrationInterface {
  name = 'CreateRateLimitCount1767000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = quoteIdent(migrationSchema(queryRunner));
    await queryRunner.query(`
      CREATE UNLOGGED TABLE ${schema}.rate_limit_count (
        window_start timestamptz NOT NULL,
        caller_key text NOT NULL,
        requests integer NOT NULL,
        PRIMARY KEY (window_start, caller_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${quoteIdent(migrationSchema(queryRunner))}.rate_limit_count`);
  }
}
