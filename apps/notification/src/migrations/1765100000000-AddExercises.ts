import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Exercises (docs/exercises.md): a subscription of an exercise receives that exercise's
 * events only, and real subscriptions never receive them. The incident projection and the
 * routed events remember their exercise, for routing, marking what is sent, and the purge.
 */
export class AddExercises1765100000000 implements MigrationInterface {
  name = 'AddExercises1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE subscription ADD COLUMN exercise text`);
    await queryRunner.query(`ALTER TABLE incident ADD COLUMN exercise text`);
    await queryRunner.query(`ALTER TABLE notification_event ADD COLUMN exercise text`);
    await queryRunner.query(`CREATE INDEX notification_event_exercise_idx ON notification_event (exercise) WHERE exercise IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification_event DROP COLUMN exercise`);
    await queryRunner.query(`ALTER TABLE incident DROP COLUMN exercise`);
    await queryRunner.query(`ALTER TABLE subscription DROP COLUMN exercise`);
  }
}
