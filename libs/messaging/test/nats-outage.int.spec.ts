import type { DataSource } from 'typeorm';
import { createTestDatabase, expectEventually, startPrivateNats, type PrivateNats, type TestDatabase } from '@watchfloor/testing';
import { inTransaction } from '@watchfloor/persistence';
import { connectJetStream, defineConsumer, EventPublisher, JetStreamTransport, Outbox, OutboxRelay, provisionStreams, Topology, type JetStreamConnection } from '../src';
import { CreateTriageEffect1700000001000, startHandlerApp } from './handler-app';
import { freshRegistry, messagingDataSource, quietLogger, TRIAGED, triagedEvent } from './support';

// Jest ignores testTimeout in project configs; the outage and recovery take a few seconds.
jest.setTimeout(60_000);

describe('outbox relay while NATS is down', () => {
  let db: TestDatabase;
  let nats: PrivateNats;
  let ds: DataSource;
  let connection: JetStreamConnection;
  const topology = new Topology();

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase(), startPrivateNats()]);
    ds = await messagingDataSource(db.url, 'intake');
    connection = await connectJetStream({ servers: nats.url, name: 'outage-test', reconnectTimeWaitMs: 100, timeoutMs: 1_000, logger: quietLogger });
    await provisionStreams(connection.jsm, topology);
  });

  afterAll(async () => {
    await connection.close();
    await nats.dispose();
    await ds.destroy();
    await db.drop();
  });

  it('keeps accepting writes, then publishes every event exactly once when NATS is back', async () => {
    const outbox = new Outbox('intake', topology);
    const relay = new OutboxRelay({
      dataSource: ds, js: connection.js, service: 'intake', logger: quietLogger, registry: freshRegistry(),
      batchSize: 16, pollIntervalMs: 100, retryMinMs: 50, retryMaxMs: 500, publishTimeoutMs: 500,
    });
    relay.start();
    try {
      await nats.stop();
      await expectEventually(() => expect(connection.isConnected()).toBe(false));

      const events = Array.from({ length: 40 }, () => triagedEvent());
      // As intake would: one transaction per request, each kicking the relay after its commit.
      for (const event of events) {
        await inTransaction(ds, (manager) => outbox.add(manager, event));
        relay.kick();
      }
      await expect(relay.pending()).resolves.toBe(40);
      // The relay has tried and failed (rows keep their error), not merely waited.
      await expectEventually(async () => {
        const [row] = await ds.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM intake.outbox WHERE last_error IS NOT NULL AND published_at IS NULL');
        expect(row?.n).toBeGreaterThan(0);
      });

      await nats.start();
      await expectEventually(async () => expect(await relay.pending()).toBe(0), { timeoutMs: 30_000, intervalMs: 100 });

      const info = await connection.jsm.streams.info('INCIDENTS');
      expect(info.state.messages).toBe(40);
      const ids = new Set<string>();
      for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq += 1) {
        const message = await connection.jsm.streams.getMessage('INCIDENTS', { seq });
        if (message) ids.add(message.json<{ id: string }>().id);
      }
      expect([...ids].sort()).toEqual(events.map((e) => e.id).sort());
    } finally {
      await relay.stop();
    }
  });

  it('keeps consuming after NATS restarts, even just after the wall clock stepped back', async () => {
    const consumerDs = await messagingDataSource(db.url, 'consumer', [CreateTriageEffect1700000001000]);
    const transport = new JetStreamTransport({
      service: 'triage', connection, topology, dataSource: consumerDs, concurrency: 4, pullExpiresMs: 1_000,
      consumers: [defineConsumer('triage', TRIAGED, { backoffMs: [200, 200, 200, 200] })],
      logger: quietLogger, registry: freshRegistry(),
    });
    const app = await startHandlerApp(transport);
    const publisher = new EventPublisher(connection.js, topology);
    const effects = async (incidentId: string): Promise<number> => {
      const [row] = await consumerDs.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM consumer.triage_effect WHERE incident_id = $1', [incidentId]);
      return row?.n ?? -1;
    };
    try {
      const before = triagedEvent();
      await publisher.publish(before);
      await expectEventually(async () => expect(await effects(before.data.incidentId)).toBe(1));

      await nats.kill();
      await expectEventually(() => expect(connection.isConnected()).toBe(false));
      await nats.start();
      await expectEventually(() => expect(connection.isConnected()).toBe(true), { timeoutMs: 20_000 });

      const after = triagedEvent();
      await expectEventually(() => publisher.publish(after), { timeoutMs: 20_000, intervalMs: 200 });
      await expectEventually(async () => expect(await effects(after.data.incidentId)).toBe(1), { timeoutMs: 30_000, intervalMs: 100 });

      // The server dies while the wall clock is three minutes ahead, and the clock steps back
      // before it returns (the soak's skew-clock fault, then a power loss): nats.js spaces its
      // attempts on a server by the wall clock, so on its own it would not dial again for three minutes.
      let attempts = 0;
      void (async () => {
        for await (const status of connection.nc.status()) if (status.type === 'reconnecting') attempts += 1;
      })();
      const wallClock = Date.now.bind(Date);
      const ahead = jest.spyOn(Date, 'now').mockImplementation(() => wallClock() + 180_000);
      try {
        await nats.kill();
        const before = attempts;
        await expectEventually(() => expect(attempts).toBeGreaterThan(before + 1));
      } finally {
        ahead.mockRestore();
      }
      await nats.start();
      // Well within the three minutes the wall clock went back.
      await expectEventually(() => expect(connection.isConnected()).toBe(true), { timeoutMs: 20_000 });
      const stepped = triagedEvent();
      await expectEventually(() => publisher.publish(stepped), { timeoutMs: 20_000, intervalMs: 200 });
      await expectEventually(async () => expect(await effects(stepped.data.incidentId)).toBe(1), { timeoutMs: 30_000, intervalMs: 100 });
    } finally {
      await app.close();
      await consumerDs.destroy();
    }
  });
});
