import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '@watchfloor/testing';
import { createServiceDataSource, TransactionMemo } from '../src';

describe('TransactionMemo', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await createServiceDataSource({ url: db.url, schema: 'memo' });
    await ds.query('CREATE TABLE memo.setting (name text PRIMARY KEY, value text NOT NULL)');
    await ds.query(`INSERT INTO memo.setting VALUES ('rotation', 'v1')`);
  });

  afterAll(async () => {
    await ds.destroy();
    await db.drop();
  });

  it('reads once per transaction, again in the next one, and every time outside a transaction', async () => {
    const memo = new TransactionMemo<string>();
    let loads = 0;
    const read = (manager = ds.manager) =>
      memo.read(manager, 'rotation', async () => {
        loads += 1;
        const rows = await manager.query<Array<{ value: string }>>('SELECT value FROM memo.setting WHERE name = $1', ['rotation']);
        return rows[0]?.value ?? 'none';
      });

    const inFirst = await ds.transaction(async (manager) => {
      const first = await read(manager);
      // Changed meanwhile by someone else: this transaction keeps what it read first.
      await ds.query(`UPDATE memo.setting SET value = 'v2' WHERE name = 'rotation'`);
      return [first, await read(manager), await read(manager)];
    });
    expect(inFirst).toEqual(['v1', 'v1', 'v1']);
    expect(loads).toBe(1);

    await expect(ds.transaction((manager) => read(manager))).resolves.toBe('v2');
    expect(loads).toBe(2);
    await read();
    await read();
    expect(loads).toBe(4);
  });

  it('forgets a read that failed, so a retry in the same transaction reads again', async () => {
    const memo = new TransactionMemo<number>();
    let attempts = 0;
    const values = await ds.transaction(async (manager) => {
      const failing = memo.read(manager, 'k', () => {
        attempts += 1;
        return Promise.reject(new Error('connection reset'));
      });
      await expect(failing).rejects.toThrow('connection reset');
      return memo.read(manager, 'k', () => {
        attempts += 1;
        return Promise.resolve(42);
      });
    });
    expect(values).toBe(42);
    expect(attempts).toBe(2);
  });
});
