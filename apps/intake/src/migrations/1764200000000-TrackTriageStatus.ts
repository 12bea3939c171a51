import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The submitter-facing status comes from triage's events, which may arrive out of order:
 * each projected field remembers the triage version that set it, and is only overwritten
 * by a newer one.
 */
export class TrackTriageStatus1764200000000 implements MigrationInterface {
  name = 'TrackTriageStatus1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE incident
        ADD COLUMN status_version integer NOT NULL DEFAULT 0,
        ADD COLUMN priority_version integer NOT NULL DEFAULT 0`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident DROP COLUMN status_version, DROP COLUMN priority_version`);
  }
}
