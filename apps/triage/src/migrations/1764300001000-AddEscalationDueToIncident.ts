import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When an unacknowledged incident escalates next. Until its first escalation that is the
 * acknowledgement deadline itself (`ack_deadline`, which keeps its meaning: the deadline
 * triage set); afterwards escalation keeps its own time here, `infinity` once it has stopped.
 * The partial index holds only incidents still `new`, so resolved ones never slow the scan.
 */
export class AddEscalationDueToIncident1764300001000 implements MigrationInterface {
  name = 'AddEscalationDueToIncident1764300001000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident ADD COLUMN escalation_due_at timestamptz`);
    await queryRunner.query(`
      CREATE INDEX incident_escalation_due_idx ON incident ((COALESCE(escalation_due_at, ack_deadline)))
        WHERE status = 'new' AND acknowledged_at IS NULL AND ack_deadline IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX incident_escalation_due_idx`);
    await queryRunner.query(`ALTER TABLE incident DROP COLUMN escalation_due_at`);
  }
}
