import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { INestMicroservice } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { defineConsumer, EventPublisher, Inbox, JetStreamTransport, provisionStreams, Topology } from '../src';
import { batchCalls, behaviours, CreateTriageEffect1700000001000, startHandlerApp } from './handler-app';
import { freshRegistry, messagingDataSource, quietLogger, triagedEvent, TRIAGED } from './support';

jest.setTimeout(30_000);

/**
 * The transport commits the messages of one pull together. These tests put a backlog on
 * the stream before the consumer starts, so its first pull takes them all in one batch.
 */
describe('JetStream transport: a batch of messages shares one transaction', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let ds: DataSource;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let topology: Topology;
  let app: INestMicroservice | undefined;

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase(), useNats()]);
    ds = await messagingDataSource(db.url, 'consumer', [CreateTriageEffect1700000001000]);
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
    topology = new Topology(nats.namespace);
    await provisionStreams(jsm, topology);
  });

  afterAll(async () => {
    await app?.close();
    await nats.cleanup();
    await nc.close();
    await ds.destroy();
    await db.drop();
  });

  /** Effect rows by incident, with the id of the transaction that wrote each. */
  const effectsOf = (incidentIds: readonly string[]) =>
    ds.query<Array<{ incident_id: string; delivery: number; tx: string }>>(
      'SELECT incident_id, delivery, tx::text AS tx FROM consumer.triage_effect WHERE incident_id = ANY($1::uuid[])', [incidentIds]);

  it('commits the good messages of a batch together and dead-letters or retries only the failing ones', async () => {
    const good = Array.from({ length: 10 }, () => triagedEvent());
    const poison = triagedEvent();
    const flaky = triagedEvent();
    behaviours.set(poison.data.incidentId, 'permanent');
    behaviours.set(flaky.data.incidentId, 'transient-once');
    const publisher = new EventPublisher(jetstream(nc), topology);
    // The failing ones in the middle: the messages after them must not pay for them.
    for (const event of [...good.slice(0, 5), poison, flaky, ...good.slice(5)]) await publisher.publish(event);

    const definition = defineConsumer('batchsvc', TRIAGED, { maxDeliver: 4, backoffMs: [100, 150, 200] });
    const transport = new JetStreamTransport({
      service: 'batchsvc', connection: { nc, js: jetstream(nc), jsm }, topology, dataSource: ds,
      consumers: [definition], concurrency: 32, batchSize: 16, pullExpiresMs: 1_000, logger: quietLogger, registry: freshRegistry(),
    });
    app = await startHandlerApp(transport);

    const goodIds = good.map((event) => event.data.incidentId);
    const rows = await expectEventually(async () => {
      const found = await effectsOf([...goodIds, flaky.data.incidentId]);
      expect(found).toHaveLength(11);
      return found;
    });
    const goodRows = rows.filter((row) => goodIds.includes(row.incident_id));
    // One effect each, all written by one transaction: the batch committed once.
    expect(new Set(goodRows.map((row) => row.incident_id)).size).toBe(10);
    expect(new Set(goodRows.map((row) => row.tx)).size).toBe(1);
    expect(goodRows.every((row) => row.delivery === 1)).toBe(true);
    // The flaky one failed alone and succeeded on its own second delivery.
    expect(rows.find((row) => row.incident_id === flaky.data.incidentId)).toMatchObject({ delivery: 2 });

    // The poison one is dead-lettered after one delivery, with nothing of its effect left.
    const deadLetters = await expectEventually(async () => {
      const found = await ds.query<Array<{ event_id: string; deliveries: number }>>('SELECT event_id, deliveries FROM consumer.dead_letter');
      expect(found).toHaveLength(1);
      return found;
    });
    expect(deadLetters).toEqual([{ event_id: poison.id, deliveries: 1 }]);
    await expect(effectsOf([poison.data.incidentId])).resolves.toEqual([]);

    // Every message settled, each good one exactly once in the inbox.
    await expectEventually(async () => {
      const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), definition.durable);
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    });
    const inbox = await ds.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM consumer.inbox WHERE consumer = $1', [definition.durable]);
    expect(inbox[0]?.n).toBe(11);
  });
  it('claims the inbox of a batch in one statement: an event twice in the batch, or handled before, has no second effect', async () => {
    await app?.close();
    app = undefined;
    const definition = defineConsumer('repeatsvc', TRIAGED, { maxDeliver: 4, backoffMs: [100, 150, 200] });
    const handledBefore = triagedEvent();
    await ds.query('INSERT INTO consumer.inbox (consumer, event_id) VALUES ($1, $2)', [definition.durable, handledBefore.id]);
    const twice = triagedEvent();
    const fresh = Array.from({ length: 6 }, () => triagedEvent());
    // Raw publishes without Nats-Msg-Id: the broker keeps both copies, as after its duplicate window.
    const js = jetstream(nc);
    const subject = topology.subject('incident.triaged.ga');
    for (const event of [fresh[0], twice, handledBefore, ...fresh.slice(1), twice]) await js.publish(subject, JSON.stringify(event));

    const transport = new JetStreamTransport({
      service: 'repeatsvc', connection: { nc, js, jsm }, topology, dataSource: ds,
      consumers: [definition], concurrency: 32, batchSize: 16, pullExpiresMs: 1_000, logger: quietLogger, registry: freshRegistry(),
    });
    app = await startHandlerApp(transport);

    await expectEventually(async () => {
      const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), definition.durable);
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    });
    const freshIds = fresh.map((event) => event.data.incidentId);
    const rows = await effectsOf([...freshIds, twice.data.incidentId, handledBefore.data.incidentId]);
    // One effect for each new event, none for the one handled before.
    expect(rows.map((row) => row.incident_id).sort()).toEqual([...freshIds, twice.data.incidentId].sort());
    const mine = [...fresh, twice, handledBefore].map((event) => event.id);
    const inbox = await ds.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM consumer.inbox WHERE consumer = $1 AND event_id = ANY($2::uuid[])', [definition.durable, mine]);
    expect(inbox[0]?.n).toBe(8);
  });

  it('a batch handler gets the claimed events of a batch in one call; when it fails, each event alone, so only the failing ones retry or dead-letter', async () => {
    await app?.close();
    app = undefined;
    // The earlier tests' messages off the stream: this consumer's first pull is this test's backlog only.
    await jsm.streams.purge(topology.streamName('INCIDENTS'));
    const definition = defineConsumer('batchhandlersvc', TRIAGED, { maxDeliver: 4, backoffMs: [100, 150, 200] });
    const handledBefore = triagedEvent();
    await ds.query('INSERT INTO consumer.inbox (consumer, event_id) VALUES ($1, $2)', [definition.durable, handledBefore.id]);
    const good = Array.from({ length: 6 }, () => triagedEvent());
    const poison = triagedEvent();
    const flaky = triagedEvent();
    behaviours.set(poison.data.incidentId, 'permanent');
    behaviours.set(flaky.data.incidentId, 'transient-once');
    const publisher = new EventPublisher(jetstream(nc), topology);
    for (const event of [...good.slice(0, 3), poison, handledBefore, flaky, ...good.slice(3)]) await publisher.publish(event);
    batchCalls.length = 0;

    const transport = new JetStreamTransport({
      service: 'batchhandlersvc', connection: { nc, js: jetstream(nc), jsm }, topology, dataSource: ds,
      consumers: [definition], concurrency: 32, batchSize: 16, pullExpiresMs: 1_000, logger: quietLogger, registry: freshRegistry(),
    });
    app = await startHandlerApp(transport, { batch: true });

    await expectEventually(async () => {
      const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), definition.durable);
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    });
    // The first call had the whole pull but the event handled before; it failed, so each was handed over alone.
    expect(batchCalls[0]).toBe(8);
    expect(batchCalls.slice(1, 9)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    const goodIds = good.map((event) => event.data.incidentId);
    const rows = await effectsOf([...goodIds, flaky.data.incidentId, poison.data.incidentId, handledBefore.data.incidentId]);
    const goodRows = rows.filter((row) => goodIds.includes(row.incident_id));
    expect(goodRows.map((row) => row.incident_id).sort()).toEqual([...goodIds].sort());
    expect(new Set(goodRows.map((row) => row.tx)).size).toBe(1);
    expect(goodRows.every((row) => row.delivery === 1)).toBe(true);
    expect(rows.filter((row) => row.incident_id === flaky.data.incidentId)).toMatchObject([{ delivery: 2 }]);
    const deadLetters = await ds.query<Array<{ event_id: string; consumer: string }>>('SELECT event_id, consumer FROM consumer.dead_letter WHERE consumer = $1', [definition.durable]);
    expect(deadLetters).toEqual([{ event_id: poison.id, consumer: definition.durable }]);
  });

  it('Inbox.claimAll returns each id newly claimed once, in one statement, and none claimed before', async () => {
    const inbox = new Inbox('consumer');
    const [a, b, c] = [triagedEvent().id, triagedEvent().id, triagedEvent().id];
    await ds.transaction((manager) => inbox.claimAll(manager, 'claimsvc', [a]));
    const claimed = await ds.transaction((manager) => inbox.claimAll(manager, 'claimsvc', [b, a, c.toUpperCase(), b]));
    expect([...claimed].sort()).toEqual([b, c].sort());
    await expect(ds.transaction((manager) => inbox.claimAll(manager, 'claimsvc', [a, b, c]))).resolves.toEqual(new Set());
  });
});
