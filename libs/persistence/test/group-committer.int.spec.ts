import type { DataSource, EntityManager, MigrationInterface, QueryRunner } from 'typeorm';
import { createTestDatabase, expectEventually, type TestDatabase } from '@watchfloor/testing';
import { createServiceDataSource, GroupCommitter, migrationSchema } from '../src';

class CreateSubmission1700000000000 implements MigrationInterface {
  name = 'CreateSubmission1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "${migrationSchema(queryRunner)}".submission (reference text PRIMARY KEY, title text NOT NULL)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "${migrationSchema(queryRunner)}".submission`);
  }
}

interface Submission {
  reference: string;
  title: string;
}

async function insert(manager: EntityManager, item: Submission): Promise<string> {
  await manager.query('INSERT INTO gc.submission (reference, title) VALUES ($1, $2)', [item.reference, item.title]);
  return item.reference;
}

describe('GroupCommitter against Postgres', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createServiceDataSource({ url: db.url, schema: 'gc', migrations: [CreateSubmission1700000000000] });
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  const count = async (prefix: string): Promise<number> => {
    const rows = await ds.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM gc.submission WHERE reference LIKE $1', [`${prefix}%`]);
    return rows[0]?.n ?? -1;
  };

  it('fails only the item with a duplicate key; the rest of its batch commits', async () => {
    const batches: string[][] = [];
    const committer = new GroupCommitter<Submission, string>({
      dataSource: ds, work: insert, maxBatch: 64, maxWaitMs: 50,
      onCommitted: (results) => batches.push(results),
    });

    const settled = await Promise.allSettled([
      committer.submit({ reference: 'dup-1', title: 'a' }),
      committer.submit({ reference: 'dup-2', title: 'b' }),
      committer.submit({ reference: 'dup-1', title: 'again' }),
      committer.submit({ reference: 'dup-3', title: 'c' }),
    ]);

    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ code: '23505' }) });
    expect(batches).toEqual([['dup-1', 'dup-2', 'dup-3']]);
    await expect(count('dup-')).resolves.toBe(3);
    const titles = await ds.query<Array<{ title: string }>>(`SELECT title FROM gc.submission WHERE reference = 'dup-1'`);
    expect(titles).toEqual([{ title: 'a' }]);
  });

  it('runs a batch without failures once, and again item by item only when an item fails', async () => {
    const runs: string[] = [];
    const committer = new GroupCommitter<Submission, string>({
      dataSource: ds, maxBatch: 64, maxWaitMs: 50,
      work: (manager, item) => { runs.push(item.reference); return insert(manager, item); },
    });
    await Promise.all([committer.submit({ reference: 'opt-1', title: 'a' }), committer.submit({ reference: 'opt-2', title: 'b' })]);
    expect(runs).toEqual(['opt-1', 'opt-2']);

    runs.length = 0;
    const settled = await Promise.allSettled([committer.submit({ reference: 'opt-3', title: 'c' }), committer.submit({ reference: 'opt-1', title: 'again' })]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
    // optimistic attempt (fails at opt-1), then one savepoint per item
    expect(runs).toEqual(['opt-3', 'opt-1', 'opt-3', 'opt-1']);
    await expect(count('opt-')).resolves.toBe(3);
  });

  it('makes every effect of a batch visible by the time its promises resolve', async () => {
    const committer = new GroupCommitter<Submission, string>({ dataSource: ds, work: insert, maxBatch: 16, maxWaitMs: 2, concurrency: 4 });
    const items = Array.from({ length: 200 }, (_, i) => ({ reference: `many-${i}`, title: `t${i}` }));

    const results = await Promise.all(items.map(async (item) => {
      const reference = await committer.submit(item);
      // Committed before resolving: a read on another connection sees it at once.
      const seen = await ds.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM gc.submission WHERE reference = $1', [reference]);
      return seen[0]?.n;
    }));

    expect(results.every((n) => n === 1)).toBe(true);
    await expect(count('many-')).resolves.toBe(200);
  });

  it('rolls back and rejects a batch of one that fails', async () => {
    const committer = new GroupCommitter<Submission, string>({ dataSource: ds, work: insert, maxWaitMs: 0 });
    await committer.submit({ reference: 'solo-1', title: 'x' });

    await expect(committer.submit({ reference: 'solo-1', title: 'y' })).rejects.toMatchObject({ code: '23505' });
    await committer.drain();
    await expect(count('solo-')).resolves.toBe(1);
  });
  it('with workAll, writes a batch in one call, and falls back to work in savepoints when it fails', async () => {
    const calls: string[] = [];
    const insertAll = async (manager: EntityManager, items: readonly Submission[]) => {
      calls.push(`all:${items.length}`);
      await manager.query(
        'INSERT INTO gc.submission (reference, title) SELECT * FROM unnest($1::text[], $2::text[])',
        [items.map((item) => item.reference), items.map((item) => item.title)],
      );
      return items.map((item) => item.reference);
    };
    const committer = new GroupCommitter<Submission, string>({
      dataSource: ds, maxBatch: 64, maxWaitMs: 50,
      work: (manager, item) => {
        calls.push(`one:${item.reference}`);
        return insert(manager, item);
      },
      workAll: insertAll,
    });

    const together = await Promise.all(['all-1', 'all-2', 'all-3'].map((reference) => committer.submit({ reference, title: 't' })));
    expect(together).toEqual(['all-1', 'all-2', 'all-3']);
    expect(calls).toEqual(['all:3']);
    expect(await count('all-')).toBe(3);

    calls.length = 0;
    const settled = await Promise.allSettled([
      committer.submit({ reference: 'mix-1', title: 'a' }),
      committer.submit({ reference: 'all-2', title: 'taken' }),
      committer.submit({ reference: 'mix-2', title: 'b' }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // The multi-row statement failed as a whole; each item then ran alone, and only the duplicate failed.
    expect(calls).toEqual(['all:3', 'one:mix-1', 'one:all-2', 'one:mix-2']);
    expect(await count('mix-')).toBe(2);
    expect(await count('all-')).toBe(3);
  });

  it('rejects with what the work failed with when its connection is cut, not with the failed rollback\'s error', async () => {
    // Found by the soak: a Postgres restart under intake's group commit. The rollback on the
    // dead connection threw, and its error ("Query runner already released") replaced the cause.
    const committer = new GroupCommitter<Submission, string>({
      dataSource: ds, maxBatch: 64, maxWaitMs: 50,
      work: async (manager) => {
        const [{ pid }] = await manager.query<Array<{ pid: number }>>('SELECT pg_backend_pid() AS pid');
        await ds.query('SELECT pg_terminate_backend($1)', [pid]);
        // TypeORM releases the runner when the pg client reports the broken connection.
        await expectEventually(async () => expect(manager.queryRunner?.isReleased).toBe(true));
        throw new Error('the work saw its connection go');
      },
    });
    const settled = await Promise.allSettled([committer.submit({ reference: 'cut-1', title: 'a' }), committer.submit({ reference: 'cut-2', title: 'b' })]);
    expect(settled.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).message : 'fulfilled'))).toEqual([
      'the work saw its connection go',
      'the work saw its connection go',
    ]);
    await expect(count('cut-')).resolves.toBe(0);
  });
});
