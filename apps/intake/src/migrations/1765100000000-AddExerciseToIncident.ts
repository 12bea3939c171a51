import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exercise an incident belongs to (docs/exercises.md), for lists and the purge. Derived
 * from the stored submission by Postgres, so no write path can set one without the other.
 */
export class AddExerciseToIncident1765100000000 implements MigrationInterface {
  name = 'AddExerciseToIncident1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident ADD COLUMN exercise text GENERATED ALWAYS AS (submission->>'exercise') STORED`);
    await queryRunner.query(`CREATE INDEX incident_exercise_idx ON incident (exercise, received_at DESC) WHERE exercise IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident DROP COLUMN exercise`);
  }
}
