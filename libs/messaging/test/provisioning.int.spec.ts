import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { useNats, type TestNats } from '@watchfloor/testing';
import { defineConsumer, missingTopology, provisionTopology, Topology } from '../src';

const NANOS_PER_DAY = 24 * 60 * 60 * 1e9;

describe('provisioning streams and consumers', () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let topology: Topology;

  beforeAll(async () => {
    nats = await useNats();
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
    topology = new Topology(nats.namespace);
  });

  afterAll(async () => {
    await nats.cleanup();
    await nc.close();
  });

  const consumers = [
    defineConsumer('triage', 'watchfloor.incident.reported.v1'),
    defineConsumer('triage', 'watchfloor.incident.updated.v1'),
    defineConsumer('audit', 'watchfloor.notification.delivered.v1'),
  ];

  it('reports everything missing before, nothing after', async () => {
    await expect(missingTopology(jsm, topology, consumers)).resolves.toHaveLength(7);
    await provisionTopology(jsm, topology, consumers);
    await expect(missingTopology(jsm, topology, consumers)).resolves.toEqual([]);
  });

  it('is idempotent, also when replicas provision at the same time', async () => {
    await Promise.all([1, 2, 3].map(() => provisionTopology(jsm, topology, consumers)));
    await provisionTopology(jsm, topology, consumers);

    const names: string[] = [];
    for await (const name of jsm.streams.names()) if (name.startsWith(`${nats.namespace}_`)) names.push(name);
    expect(names.sort()).toEqual(['AUDIT', 'DEADLETTER', 'INCIDENTS', 'NOTIFICATIONS'].map((n) => `${nats.namespace}_${n}`));
    const incidentConsumers: string[] = [];
    for await (const info of jsm.consumers.list(topology.streamName('INCIDENTS'))) incidentConsumers.push(info.name);
    expect(incidentConsumers.sort()).toEqual(['triage--incident-reported', 'triage--incident-updated']);
  });

  it('declares the streams of EVENTS.md under the namespace', async () => {
    const incidents = await jsm.streams.info(topology.streamName('INCIDENTS'));
    expect(incidents.config).toMatchObject({
      subjects: [`${nats.namespace}.incident.>`], storage: 'file', retention: 'limits',
      max_age: 400 * NANOS_PER_DAY, duplicate_window: 10 * 60 * 1e9,
    });
    const deadLetters = await jsm.streams.info(topology.streamName('DEADLETTER'));
    expect(deadLetters.config).toMatchObject({ subjects: [`${nats.namespace}.deadletter.>`], max_age: 30 * NANOS_PER_DAY });
  });

  it('declares durable pull consumers with explicit ack, max_deliver 5 and back-off 1 s, 5 s, 30 s, 2 min', async () => {
    const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), 'triage--incident-reported');
    expect(info.config).toMatchObject({
      durable_name: 'triage--incident-reported',
      filter_subject: `${nats.namespace}.incident.reported.>`,
      ack_policy: 'explicit',
      max_deliver: 5,
      backoff: [1e9, 5e9, 30e9, 120e9],
    });
    expect(info.config.deliver_subject).toBeUndefined();
  });

  it('updates a consumer whose definition changed', async () => {
    const changed = defineConsumer('triage', 'watchfloor.incident.reported.v1', { maxDeliver: 7, backoffMs: [500, 1_000] });
    await provisionTopology(jsm, topology, [changed]);

    const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), 'triage--incident-reported');
    expect(info.config).toMatchObject({ max_deliver: 7, backoff: [5e8, 1e9] });
  });
});
