import { createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import type { DataSource } from 'typeorm';
import { Messaging } from '../src';
import { messagingDataSource, quietLogger, triagedEvent } from './support';

/**
 * The relay must publish right after any transaction that added events commits, however it
 * was opened. Its fallback poll is set to a minute here, so only that kick can publish in time.
 */
describe('the outbox kicks the relay after the commit of a transaction that added events', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let ds: DataSource;
  let messaging: Messaging;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    ds = await messagingDataSource(db.url, 'kick');
    messaging = await Messaging.create({
      service: 'kick', dataSource: ds, servers: nats.url, namespace: nats.namespace, logger: quietLogger,
      relay: { pollIntervalMs: 60_000 },
    });
    messaging.start();
    // The relay's first loop runs at start; let it settle into its long sleep.
    await expectEventually(async () => expect(await messaging.relay.pending()).toBe(0));
  });
  afterAll(async () => {
    await messaging.close();
    await ds.destroy();
    await nats.cleanup();
    await db.drop();
  });

  const published = async () => (await messaging.connection.jsm.streams.info(`${nats.namespace}_INCIDENTS`)).state.messages;

  it('publishes at once after a plain transaction, and after one whose event was added in a savepoint', async () => {
    await ds.transaction((manager) => messaging.outbox.add(manager, triagedEvent()));
    await expectEventually(async () => expect(await published()).toBe(1), { timeoutMs: 5_000 });

    const queryRunner = ds.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      await queryRunner.startTransaction(); // a savepoint, as group commit uses
      await messaging.outbox.add(queryRunner.manager, triagedEvent());
      await queryRunner.commitTransaction(); // releases the savepoint: nothing visible yet
      await queryRunner.commitTransaction();
    } finally {
      await queryRunner.release();
    }
    await expectEventually(async () => expect(await published()).toBe(2), { timeoutMs: 5_000 });
  });

  it('publishes nothing for a rolled-back transaction', async () => {
    const before = await published();
    await expect(ds.transaction(async (manager) => {
      await messaging.outbox.add(manager, triagedEvent());
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    await ds.transaction((manager) => messaging.outbox.add(manager, triagedEvent()));
    await expectEventually(async () => expect(await published()).toBe(before + 1), { timeoutMs: 5_000 });
    expect(await messaging.relay.pending()).toBe(0);
  });
});
