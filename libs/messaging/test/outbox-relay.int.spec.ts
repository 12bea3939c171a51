import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { DataSource } from 'typeorm';
import { createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { inTransaction } from '@watchfloor/persistence';
import { InvalidEventError, Outbox, OutboxRelay, provisionStreams, replayOutbox, Topology, type PublishedRow } from '../src';
import { freshRegistry, messagingDataSource, quietLogger, triagedEvent } from './support';

// Jest ignores testTimeout in project configs; waits below poll up to 10-15 s.
jest.setTimeout(30_000);

describe('outbox and relay', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let ds: DataSource;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let topology: Topology;
  let outbox: Outbox;

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase(), useNats()]);
    ds = await messagingDataSource(db.url, 'producer');
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    topology = new Topology(nats.namespace);
    await provisionStreams(jsm, topology);
    outbox = new Outbox('producer', topology);
  });

  afterAll(async () => {
    await nats.cleanup();
    await nc.close();
    await ds.destroy();
    await db.drop();
  });

  const incidents = () => topology.streamName('INCIDENTS');

  async function storedIds(): Promise<string[]> {
    const info = await jsm.streams.info(incidents());
    const ids: string[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
      const message = await jsm.streams.getMessage(incidents(), { seq });
      if (message) ids.push(message.json<{ id: string }>().id);
    }
    return ids;
  }

  it('publishes a committed event with Nats-Msg-Id = event id and the routing headers', async () => {
    const published: PublishedRow[] = [];
    const relay = new OutboxRelay({ dataSource: ds, js, service: 'producer', logger: quietLogger, registry: freshRegistry(), onPublished: (rows) => published.push(...rows) });
    relay.start();
    try {
      const event = triagedEvent();
      await inTransaction(ds, (manager) => outbox.add(manager, event));
      relay.kick();

      const stored = await expectEventually(async () => {
        const message = await jsm.streams.getMessage(incidents(), { last_by_subj: topology.subject('incident.triaged.ga') });
        expect(message?.json<{ id: string }>().id).toBe(event.id);
        return message;
      });
      expect(stored?.subject).toBe(`${nats.namespace}.incident.triaged.ga`);
      expect(stored?.header.get('Nats-Msg-Id')).toBe(event.id);
      expect(stored?.header.get('tlp')).toBe('amber');
      expect(stored?.header.get('jurisdiction')).toBe('ocd-division/country:us/state:ga/county:fulton');
      expect(stored?.header.get('correlation-id')).toBe(event.correlationid);
      expect(stored?.header.get('traceparent')).toBe(event.traceparent);
      expect(stored?.json()).toEqual(event);
      await expectEventually(() => expect(published.map((row) => row.eventId)).toContain(event.id));
      const [row] = await ds.query<Array<{ published_at: Date | null; attempts: number }>>('SELECT published_at, attempts FROM producer.outbox WHERE event_id = $1', [event.id]);
      expect(row?.published_at).toBeInstanceOf(Date);
      expect(row?.attempts).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('publishes nothing for a rolled-back transaction', async () => {
    const relay = new OutboxRelay({ dataSource: ds, js, service: 'producer', logger: quietLogger, registry: freshRegistry() });
    const before = await storedIds();
    const event = triagedEvent();
    await expect(inTransaction(ds, async (manager) => {
      await outbox.add(manager, event);
      throw new Error('request failed after writing');
    })).rejects.toThrow('request failed');

    await expect(relay.publishPending()).resolves.toBe(0);
    await expect(ds.query('SELECT 1 FROM producer.outbox WHERE event_id = $1', [event.id])).resolves.toEqual([]);
    await expect(storedIds()).resolves.toEqual(before);
  });

  it('refuses an event that breaks the contract, and writes nothing', async () => {
    const event = triagedEvent();
    const broken = { ...event, data: { ...event.data, score: 'very high' } } as unknown as typeof event;
    await expect(inTransaction(ds, (manager) => outbox.add(manager, broken))).rejects.toBeInstanceOf(InvalidEventError);
    await expect(ds.query('SELECT 1 FROM producer.outbox WHERE event_id = $1', [event.id])).resolves.toEqual([]);
  });

  it('re-publishes replayed rows; the broker drops them as duplicates by Nats-Msg-Id', async () => {
    const relay = new OutboxRelay({ dataSource: ds, js, service: 'producer', logger: quietLogger, registry: freshRegistry(), batchSize: 2 });
    const since = new Date();
    const events = [triagedEvent(), triagedEvent(), triagedEvent()];
    await inTransaction(ds, (manager) => outbox.addAll(manager, events));
    await expect(relay.publishPending()).resolves.toBe(3);
    const before = (await jsm.streams.info(incidents())).state.messages;

    const duplicates: boolean[] = [];
    const replaying = new OutboxRelay({ dataSource: ds, js, service: 'producer', logger: quietLogger, registry: freshRegistry(), onPublished: (rows) => duplicates.push(...rows.map((r) => r.duplicate)) });
    await expect(replayOutbox(ds, since)).resolves.toBe(3);
    await expect(replaying.publishPending()).resolves.toBe(3);

    expect(duplicates).toEqual([true, true, true]);
    await expect(jsm.streams.info(incidents())).resolves.toMatchObject({ state: { messages: before } });
  });

  it('deletes published rows past the retention', async () => {
    const relay = new OutboxRelay({ dataSource: ds, js, service: 'producer', logger: quietLogger, registry: freshRegistry(), retentionMs: 60_000 });
    const old = triagedEvent();
    await inTransaction(ds, (manager) => outbox.add(manager, old));
    await relay.publishPending();
    await ds.query(`UPDATE producer.outbox SET published_at = now() - interval '2 minutes' WHERE event_id = $1`, [old.id]);

    await expect(relay.cleanup()).resolves.toBe(1);
    await expect(ds.query('SELECT 1 FROM producer.outbox WHERE event_id = $1', [old.id])).resolves.toEqual([]);
  });
});
