import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@watchfloor/testing';
import { createServiceDataSource, inTransaction, migrationSchema, quoteIdent } from '../src';

@Entity()
class IncidentNote {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  noteText: string;
}

class CreateIncidentNote1700000000000 implements MigrationInterface {
  name = 'CreateIncidentNote1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const schema = quoteIdent(migrationSchema(queryRunner));
    await queryRunner.query(`CREATE TABLE ${schema}.incident_note (id uuid PRIMARY KEY, note_text text NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${quoteIdent(migrationSchema(queryRunner))}.incident_note`);
  }
}

describe('createServiceDataSource', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('creates the schema, keeps its migrations table inside it and maps snake_case', async () => {
    const options = { url: db.url, schema: 'svc_a', migrations: [CreateIncidentNote1700000000000], entities: [IncidentNote] };
    // Two replicas starting together: the advisory lock serializes them.
    const [first, second] = await Promise.all([createServiceDataSource(options), createServiceDataSource(options)]);
    try {
      const tables = await first.query<Array<{ table_name: string }>>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = 'svc_a' ORDER BY table_name`,
      );
      expect(tables.map((t) => t.table_name)).toEqual(['incident_note', 'migrations']);
      const applied = await first.query<Array<{ name: string }>>('SELECT name FROM svc_a.migrations');
      expect(applied).toEqual([{ name: 'CreateIncidentNote1700000000000' }]);

      await inTransaction(first, (manager) => manager.save(IncidentNote, { id: '018f0000-0000-7000-8000-000000000001', noteText: 'hello' }));
      await expect(second.getRepository(IncidentNote).findOneBy({ id: '018f0000-0000-7000-8000-000000000001' }))
        .resolves.toEqual({ id: '018f0000-0000-7000-8000-000000000001', noteText: 'hello' });
    } finally {
      await Promise.all([first.destroy(), second.destroy()]);
    }
  });

  it('rolls back everything inTransaction did when it throws', async () => {
    const ds = await createServiceDataSource({ url: db.url, schema: 'svc_b', migrations: [CreateIncidentNote1700000000000], entities: [IncidentNote] });
    try {
      await expect(inTransaction(ds, async (manager) => {
        await manager.save(IncidentNote, { id: '018f0000-0000-7000-8000-000000000002', noteText: 'lost' });
        throw new Error('boom');
      })).rejects.toThrow('boom');
      await expect(ds.getRepository(IncidentNote).count()).resolves.toBe(0);
    } finally {
      await ds.destroy();
    }
  });
});
