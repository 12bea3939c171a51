import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An update may carry an `Idempotency-Key`, as a submission may: an official on a poor
 * connection who sends an update again must not add it twice. The key is the caller's, for
 * that incident: the same key on another incident is another request.
 */
export class AddIdempotencyToUpdates1766100000000 implements MigrationInterface {
  name = 'AddIdempotencyToUpdates1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident_update ADD COLUMN idempotency_subject text, ADD COLUMN idempotency_key text, ADD COLUMN request_hash text`);
    await queryRunner.query(`ALTER TABLE incident_update ADD CONSTRAINT incident_update_idempotency_unique UNIQUE (incident_id, idempotency_subject, idempotency_key)`);
    await queryRunner.query(`ALTER TABLE incident_update ADD CONSTRAINT incident_update_idempotency_complete CHECK ((idempotency_key IS NULL) = (request_hash IS NULL) AND (idempotency_key IS NULL) = (idempotency_subject IS NULL))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE incident_update DROP CONSTRAINT incident_update_idempotency_complete, DROP CONSTRAINT incident_update_idempotency_unique`);
    await queryRunner.query(`ALTER TABLE incident_update DROP COLUMN request_hash, DROP COLUMN idempotency_key, DROP COLUMN idempotency_subject`);
  }
}
