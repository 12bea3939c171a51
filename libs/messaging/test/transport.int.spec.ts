import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { INestMicroservice } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { inTransaction } from '@watchfloor/persistence';
import {
  defineConsumer,
  EventPublisher,
  JetStreamTransport,
  Outbox,
  OutboxRelay,
  provisionStreams,
  replayDeadLetters,
  Topology,
  type ConsumerDefinition,
  toMsgHdrs,
  type PublishedRow,
} from '../src';
import { behaviours, CreateTriageEffect1700000001000, startHandlerApp } from './handler-app';
import { freshRegistry, messagingDataSource, quietLogger, TRIAGED, triagedEvent } from './support';

const SERVICE = 'testsvc';

// Jest ignores testTimeout in project configs; waits below poll up to 10-15 s.
jest.setTimeout(30_000);

describe('JetStream transport with inbox and dead letters', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let ds: DataSource;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let topology: Topology;
  let publisher: EventPublisher;
  let definition: ConsumerDefinition;
  let app: INestMicroservice;

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase(), useNats()]);
    ds = await messagingDataSource(db.url, 'consumer', [CreateTriageEffect1700000001000]);
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    topology = new Topology(nats.namespace);
    await provisionStreams(jsm, topology);
    publisher = new EventPublisher(js, topology);
    // Short back-off so that "fails every delivery" ends within the test.
    definition = defineConsumer(SERVICE, TRIAGED, { maxDeliver: 4, backoffMs: [100, 150, 200] });
    const transport = new JetStreamTransport({
      service: SERVICE, connection: { nc, js, jsm }, topology, dataSource: ds,
      consumers: [definition], concurrency: 4, pullExpiresMs: 1_000, logger: quietLogger, registry: freshRegistry(),
    });
    app = await startHandlerApp(transport);
  });

  afterAll(async () => {
    await app.close();
    await nats.cleanup();
    await nc.close();
    await ds.destroy();
    await db.drop();
  });

  const effects = async (incidentId: string): Promise<number> => {
    const rows = await ds.query<Array<{ n: number }>>('SELECT count(*)::int AS n FROM consumer.triage_effect WHERE incident_id = $1', [incidentId]);
    return rows[0]?.n ?? -1;
  };

  const deadLetterRows = (where: string, value: string) =>
    ds.query<Array<{ event_id: string | null; subject: string; consumer: string; payload: string; error: string; deliveries: number }>>(
      `SELECT event_id, subject, consumer, payload, error, deliveries FROM consumer.dead_letter WHERE ${where} = $1`, [value]);

  const subject = () => topology.subject('incident.triaged.ga');

  it('creates the consumer of the handler, named <service>--<event>, with one filter subject', async () => {
    const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), 'testsvc--incident-triaged');
    expect(info.config).toMatchObject({ filter_subject: `${nats.namespace}.incident.triaged.>`, max_deliver: 4, ack_policy: 'explicit' });
  });

  it('handles a valid event once: effect and inbox row in one transaction', async () => {
    const event = triagedEvent();
    await publisher.publish(event);

    await expectEventually(async () => expect(await effects(event.data.incidentId)).toBe(1));
    await expect(ds.query('SELECT consumer FROM consumer.inbox WHERE event_id = $1', [event.id])).resolves.toEqual([{ consumer: 'testsvc--incident-triaged' }]);
  });

  it('has one effect for the same event id delivered twice (no broker dedup)', async () => {
    const event = triagedEvent();
    const before = (await jsm.streams.info(topology.streamName('INCIDENTS'))).state.messages;
    // Raw publishes without Nats-Msg-Id: the broker stores both, as after its duplicate window.
    await js.publish(subject(), JSON.stringify(event));
    await js.publish(subject(), JSON.stringify(event));
    await expect(jsm.streams.info(topology.streamName('INCIDENTS'))).resolves.toMatchObject({ state: { messages: before + 2 } });

    await expectEventually(async () => {
      const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), definition.durable);
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    });
    await expect(effects(event.data.incidentId)).resolves.toBe(1);
  });

  it('dead-letters a poison message at once and handles the valid ones behind it', async () => {
    const poison = '{"specversion":"1.0","id":"not-an-event"';
    const ack = await js.publish(subject(), poison);
    const invalidData = triagedEvent();
    const badData = { ...invalidData, data: { ...invalidData.data, score: 'very high' } };
    await js.publish(subject(), JSON.stringify(badData));
    const behind = [triagedEvent(), triagedEvent(), triagedEvent()];
    for (const event of behind) await publisher.publish(event);

    await expectEventually(async () => {
      for (const event of behind) expect(await effects(event.data.incidentId)).toBe(1);
    });
    const [poisonRow] = await expectEventually(async () => {
      const rows = await ds.query<Array<{ payload: string; error: string; deliveries: number; event_id: string | null }>>(
        'SELECT payload, error, deliveries, event_id FROM consumer.dead_letter WHERE stream_seq = $1', [ack.seq]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(poisonRow).toMatchObject({ payload: poison, deliveries: 1, event_id: null });
    expect(poisonRow?.error).toMatch(/invalid event/);

    const [dataRow] = await expectEventually(async () => {
      const rows = await deadLetterRows('event_id', invalidData.id);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(dataRow).toMatchObject({ consumer: 'testsvc--incident-triaged', subject: subject(), deliveries: 1 });
    expect(dataRow?.error).toMatch(/data\.score/);
    await expect(effects(invalidData.data.incidentId)).resolves.toBe(0);

    const copy = await expectEventually(async () => {
      const message = await jsm.streams.getMessage(topology.streamName('DEADLETTER'), { last_by_subj: `${nats.namespace}.deadletter.testsvc.incident.triaged.ga` });
      expect(message).not.toBeNull();
      return message;
    });
    expect(copy?.header.get('original-subject')).toBe(subject());
    expect(copy?.header.get('deliveries')).toBe('1');
    expect(copy?.header.get('error')).toMatch(/invalid event/);
  });

  it('dead-letters, once, a message whose claimed type and headers hold NULs (which Postgres text cannot)', async () => {
    const nul = String.fromCharCode(0);
    const body = JSON.stringify({ specversion: '1.0', id: 'not-a-uuid', type: `watchfloor.${nul}evil.v1`, data: {} });
    const ack = await js.publish(subject(), body, { headers: toMsgHdrs({ 'x-evil': `a${nul}b`, 'ce-type': `${nul}` }) });

    const [row] = await expectEventually(async () => {
      const rows = await ds.query<Array<{ type: string; headers: Record<string, string>; payload: string; deliveries: number }>>(
        'SELECT type, headers, payload, deliveries FROM consumer.dead_letter WHERE stream_seq = $1', [ack.seq]);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row).toMatchObject({ type: 'watchfloor.evil.v1', deliveries: 1, payload: body.split(nul).join('') });
    expect(row?.headers).toMatchObject({ 'x-evil': 'ab', 'ce-type': '' });
    await expectEventually(async () => {
      const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), definition.durable);
      expect(info.num_ack_pending + info.num_pending).toBe(0);
    });
  });

  it("dead-letters a valid event sent on another state's subject, with no effect", async () => {
    const event = triagedEvent();
    await js.publish(topology.subject('incident.triaged.pa'), JSON.stringify(event));

    const [row] = await expectEventually(async () => {
      const rows = await deadLetterRows('event_id', event.id);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row).toMatchObject({ subject: topology.subject('incident.triaged.pa'), deliveries: 1 });
    expect(row?.error).toBe(`misrouted event: ${TRIAGED} of ocd-division/country:us/state:ga/county:fulton belongs on incident.triaged.ga, not incident.triaged.pa`);
    await expect(effects(event.data.incidentId)).resolves.toBe(0);
  });

  it('retries a transient failure with back-off and has one effect once it succeeds', async () => {
    const event = triagedEvent();
    behaviours.set(event.data.incidentId, 'transient-once');
    await publisher.publish(event);

    await expectEventually(async () => expect(await effects(event.data.incidentId)).toBe(1));
    const rows = await ds.query<Array<{ delivery: number }>>('SELECT delivery FROM consumer.triage_effect WHERE incident_id = $1', [event.data.incidentId]);
    // The first delivery's effect was rolled back with its transaction.
    expect(rows).toEqual([{ delivery: 2 }]);
    await expect(deadLetterRows('event_id', event.id)).resolves.toEqual([]);
  });

  it('dead-letters a message whose handler fails on every delivery, after max_deliver', async () => {
    const event = triagedEvent();
    behaviours.set(event.data.incidentId, 'transient');
    await publisher.publish(event);

    const [row] = await expectEventually(async () => {
      const rows = await deadLetterRows('event_id', event.id);
      expect(rows).toHaveLength(1);
      return rows;
    }, { timeoutMs: 15_000 });
    expect(row).toMatchObject({ deliveries: 4, consumer: 'testsvc--incident-triaged' });
    expect(row?.error).toMatch(/failed 4 deliveries, last: database hiccup/);
    await expect(effects(event.data.incidentId)).resolves.toBe(0);
  });

  it('dead-letters at once when the handler throws a PermanentError', async () => {
    const event = triagedEvent();
    behaviours.set(event.data.incidentId, 'permanent');
    await publisher.publish(event);

    const [row] = await expectEventually(async () => {
      const rows = await deadLetterRows('event_id', event.id);
      expect(rows).toHaveLength(1);
      return rows;
    });
    expect(row).toMatchObject({ deliveries: 1 });
    expect(row?.error).toMatch(/permanent failure: incident can never be triaged here/);
  });

  it('replays dead letters once their cause is fixed', async () => {
    const since = new Date();
    const event = triagedEvent();
    behaviours.set(event.data.incidentId, 'permanent');
    await publisher.publish(event);
    await expectEventually(async () => expect(await deadLetterRows('event_id', event.id)).toHaveLength(1));

    behaviours.delete(event.data.incidentId);
    await expect(replayDeadLetters(ds, js, { consumer: definition.durable, since })).resolves.toBe(1);

    await expectEventually(async () => expect(await effects(event.data.incidentId)).toBe(1));
    await expect(replayDeadLetters(ds, js, { consumer: definition.durable, since })).resolves.toBe(0);
  });

  it('has one effect when the relay crashes between PubAck and marking the row', async () => {
    const outbox = new Outbox('consumer', topology);
    let crashes = 0;
    const published: PublishedRow[] = [];
    const relay = new OutboxRelay({
      dataSource: ds, js, service: SERVICE, logger: quietLogger, registry: freshRegistry(), retryMinMs: 20,
      beforeMark: () => {
        crashes += 1;
        if (crashes === 1) throw new Error('process died after the PubAck');
      },
      onPublished: (rows) => published.push(...rows),
    });
    const event = triagedEvent();
    await inTransaction(ds, (manager) => outbox.add(manager, event));
    relay.start();
    try {
      await expectEventually(() => expect(published.map((row) => row.eventId)).toContain(event.id));
    } finally {
      await relay.stop();
    }

    // Published twice; the second PubAck says the broker had it already.
    expect(crashes).toBe(2);
    expect(published.find((row) => row.eventId === event.id)?.duplicate).toBe(true);
    await expectEventually(async () => expect(await effects(event.data.incidentId)).toBe(1));
    const [row] = await ds.query<Array<{ attempts: number }>>('SELECT attempts FROM consumer.outbox WHERE event_id = $1', [event.id]);
    expect(row?.attempts).toBe(1);
  });
});
