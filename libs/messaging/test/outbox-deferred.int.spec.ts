import { createTestDatabase, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import type { DataSource, EntityManager } from 'typeorm';
import { Messaging } from '../src';
import { messagingDataSource, quietLogger, triagedEvent } from './support';

/**
 * The outbox keeps a transaction's events until just before it commits and writes them in
 * one statement, so a consumer's batch pays one INSERT for all its events. The relay is not
 * started here: the rows stay in the table to be read.
 */
describe('the outbox writes a transaction\'s events together, at its commit', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let ds: DataSource;
  let messaging: Messaging;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    ds = await messagingDataSource(db.url, 'deferred');
    messaging = await Messaging.create({ service: 'deferred', dataSource: ds, servers: nats.url, namespace: nats.namespace, logger: quietLogger });
  });
  afterAll(async () => {
    await messaging.close();
    await ds.destroy();
    await nats.cleanup();
    await db.drop();
  });
  beforeEach(() => ds.query('DELETE FROM deferred.outbox'));

  const stored = async (manager: EntityManager = ds.manager): Promise<string[]> =>
    (await manager.query('SELECT event_id FROM deferred.outbox ORDER BY seq')).map((row: { event_id: string }) => row.event_id);

  it('writes the events of a transaction in one statement when it commits, in the order they were added', async () => {
    const events = [triagedEvent(), triagedEvent(), triagedEvent()];
    const inserts: string[] = [];
    await ds.transaction(async (manager) => {
      const runner = manager.queryRunner;
      if (!runner) throw new Error('a transaction has a query runner');
      const query = runner.query.bind(runner);
      runner.query = ((sql: string, ...rest: unknown[]) => {
        if (sql.startsWith('INSERT INTO "deferred".outbox')) inserts.push(sql);
        return (query as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
      }) as typeof query;
      for (const event of events) await messaging.outbox.add(manager, event);
      expect(await stored(manager)).toEqual([]);
    });
    expect(inserts).toHaveLength(1);
    expect(await stored()).toEqual(events.map((e) => e.id));
  });

  it('drops the events of a rolled-back savepoint and keeps those of the transaction and of released savepoints', async () => {
    const [kept, dropped, released] = [triagedEvent(), triagedEvent(), triagedEvent()];
    const queryRunner = ds.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      await messaging.outbox.add(queryRunner.manager, kept);
      await queryRunner.startTransaction();
      await messaging.outbox.add(queryRunner.manager, dropped);
      await queryRunner.rollbackTransaction();
      await queryRunner.startTransaction();
      await messaging.outbox.add(queryRunner.manager, released);
      await queryRunner.commitTransaction();
      await queryRunner.commitTransaction();
    } finally {
      await queryRunner.release();
    }
    expect(await stored()).toEqual([kept.id, released.id]);
  });

  it('writes nothing for a rolled-back transaction, and at once outside a transaction', async () => {
    await expect(ds.transaction(async (manager) => {
      await messaging.outbox.add(manager, triagedEvent());
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await stored()).toEqual([]);

    const alone = triagedEvent();
    await messaging.outbox.add(ds.manager, alone);
    expect(await stored()).toEqual([alone.id]);
  });

  it('refuses an invalid event when it is added, not at the commit', async () => {
    const invalid = { ...triagedEvent(), type: 'not.a.type' } as unknown as ReturnType<typeof triagedEvent>;
    await expect(ds.transaction((manager) => messaging.outbox.add(manager, invalid))).rejects.toThrow();
    expect(await stored()).toEqual([]);
  });
});
