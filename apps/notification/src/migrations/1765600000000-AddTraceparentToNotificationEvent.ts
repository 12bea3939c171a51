import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trace context of the consumer that routed each event (W3C `traceparent`, null when
 * tracing was off), so that its deliveries, attempted later by the sender, join that trace.
 */
export class AddTraceparentToNotificationEvent1765600000000 implements MigrationInterface {
  name = 'AddTraceparentToNotificationEvent1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification_event ADD COLUMN traceparent text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE notification_event DROP COLUMN traceparent`);
  }
}
