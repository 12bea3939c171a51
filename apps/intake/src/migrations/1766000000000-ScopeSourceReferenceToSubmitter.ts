import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `source.system` + `source.reference` are an automation's own ids, so they are unique per
 * submitting organisation (or, without one, per caller), not across the deployment: another
 * organisation's automation reusing them made a second incident impossible for it, or merged
 * its report into a stranger's incident (OWASP API6). The owner is derived from `submitted_by`
 * by Postgres, so no write path can set one without the other. The constraint keeps its name.
 */
export class ScopeSourceReferenceToSubmitter1766000000000 implements MigrationInterface {
  name = 'ScopeSourceReferenceToSubmitter1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident ADD COLUMN source_owner text GENERATED ALWAYS AS (
      CASE WHEN source_system IS NULL THEN NULL ELSE COALESCE('org:' || (submitted_by->>'org'), 'sub:' || (submitted_by->>'sub')) END) STORED`);
    await queryRunner.query(`ALTER TABLE incident DROP CONSTRAINT incident_source_unique`);
    await queryRunner.query(`ALTER TABLE incident ADD CONSTRAINT incident_source_unique UNIQUE (source_owner, source_system, source_reference)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident DROP CONSTRAINT incident_source_unique`);
    await queryRunner.query(`ALTER TABLE incident DROP COLUMN source_owner`);
    await queryRunner.query(`ALTER TABLE incident ADD CONSTRAINT incident_source_unique UNIQUE (source_system, source_reference)`);
  }
}
