import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The on-call rotation, one row per version (the newest is in force; the others say who
 * changed what, when), and the round-robin turn counter every replica draws from.
 */
export class CreateOnCallRotation1764300000000 implements MigrationInterface {
  name = 'CreateOnCallRotation1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE oncall_rotation (
        version integer PRIMARY KEY CHECK (version >= 1),
        timezone text NOT NULL,
        shifts jsonb NOT NULL,
        escalation jsonb NOT NULL,
        changed_by jsonb NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    // A sequence, not a counter row: nextval neither blocks nor is blocked by open transactions.
    await queryRunner.query(`CREATE SEQUENCE oncall_turn AS bigint MINVALUE 0 START 0 CYCLE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE oncall_turn`);
    await queryRunner.query(`DROP TABLE oncall_rotation`);
  }
}
