import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exercises (docs/exercises.md) kept apart from real work: an incident's exercise (derived
 * by Postgres from the stored submission, so no write path can set one without the other),
 * on the observable index and clusters (correlation never joins across exercises), and
 * rotations per exercise ('' is the real one), each with its own versions.
 */
export class AddExercises1765100000000 implements MigrationInterface {
  name = 'AddExercises1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident ADD COLUMN exercise text GENERATED ALWAYS AS (submission->>'exercise') STORED`);
    await queryRunner.query(`CREATE INDEX incident_exercise_idx ON incident (exercise) WHERE exercise IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE incident_observable ADD COLUMN exercise text`);
    await queryRunner.query(`ALTER TABLE cluster ADD COLUMN exercise text`);
    await queryRunner.query(`ALTER TABLE oncall_rotation ADD COLUMN exercise text NOT NULL DEFAULT ''`);
    await queryRunner.query(`ALTER TABLE oncall_rotation DROP CONSTRAINT oncall_rotation_pkey`);
    await queryRunner.query(`ALTER TABLE oncall_rotation ADD PRIMARY KEY (exercise, version)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM oncall_rotation WHERE exercise <> ''`);
    await queryRunner.query(`ALTER TABLE oncall_rotation DROP CONSTRAINT oncall_rotation_pkey`);
    await queryRunner.query(`ALTER TABLE oncall_rotation DROP COLUMN exercise`);
    await queryRunner.query(`ALTER TABLE oncall_rotation ADD PRIMARY KEY (version)`);
    await queryRunner.query(`ALTER TABLE cluster DROP COLUMN exercise`);
    await queryRunner.query(`ALTER TABLE incident_observable DROP COLUMN exercise`);
    await queryRunner.query(`ALTER TABLE incident DROP COLUMN exercise`);
  }
}
