import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A cluster keeps its strictest TLP, and its members are indexed by arrival, so that adding
 * one incident to a large campaign costs the same as adding it to a small one.
 */
export class AddClusterTlpAndMemberOrder1764400000000 implements MigrationInterface {
  name = 'AddClusterTlpAndMemberOrder1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE cluster ADD COLUMN tlp text NOT NULL DEFAULT 'clear'`);
    await queryRunner.query(`
      UPDATE cluster c SET tlp = (
        SELECT (ARRAY['clear', 'green', 'amber', 'amber+strict', 'red'])[max(array_position(ARRAY['clear', 'green', 'amber', 'amber+strict', 'red'], i.tlp))]
          FROM incident i WHERE i.cluster_id = c.id)
       WHERE EXISTS (SELECT 1 FROM incident i WHERE i.cluster_id = c.id)`);
    await queryRunner.query(`DROP INDEX incident_cluster_idx`);
    await queryRunner.query(`CREATE INDEX incident_cluster_idx ON incident (cluster_id, received_at DESC, id) WHERE cluster_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX incident_cluster_idx`);
    await queryRunner.query(`CREATE INDEX incident_cluster_idx ON incident (cluster_id) WHERE cluster_id IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE cluster DROP COLUMN tlp`);
  }
}
