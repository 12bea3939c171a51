import { AckPolicy, jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import { useNats, type TestNats } from '@watchfloor/testing';
import { ConsumerLag, provisionStreams, Topology } from '../src';

describe('watchfloor_consumer_pending', () => {
  let nats: TestNats;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let topology: Topology;

  beforeAll(async () => {
    nats = await useNats();
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    topology = new Topology(nats.namespace);
    await provisionStreams(jsm, topology);
  });
  afterAll(async () => {
    await nats.cleanup();
    await nc.close();
  });

  const pending = async (registry: Registry): Promise<string[]> =>
    (await registry.metrics()).split('\n').filter((line) => line.startsWith('watchfloor_consumer_pending{'));

  it("reads each consumer's backlog from NATS when scraped, and falls as messages are acknowledged", async () => {
    const stream = topology.streamName('INCIDENTS');
    await jsm.consumers.add(stream, { durable_name: 'lagging', ack_policy: AckPolicy.Explicit, filter_subject: topology.subject('incident.reported.>') });
    for (let i = 0; i < 5; i += 1) await js.publish(topology.subject('incident.reported.ga'), `{"n":${i}}`);
    await js.publish(topology.subject('incident.triaged.ga'), '{}'); // another subject: not this consumer's

    const registry = new Registry();
    const lag = new ConsumerLag(jsm, registry, () => [{ stream, durable: 'lagging' }], () => true);
    lag.watch({ stream, durable: 'absent' }); // not there: left out, not an error
    expect(await pending(registry)).toEqual(['watchfloor_consumer_pending{consumer="lagging"} 5']);

    const consumer = await js.consumers.get(stream, 'lagging');
    const batch = await consumer.fetch({ max_messages: 3, expires: 2_000 });
    const taken = [];
    for await (const message of batch) taken.push(message);
    // Delivered but not acknowledged still counts: the work is not done.
    expect(await pending(registry)).toEqual(['watchfloor_consumer_pending{consumer="lagging"} 5']);
    for (const message of taken) await message.ackAck();
    expect(await pending(registry)).toEqual(['watchfloor_consumer_pending{consumer="lagging"} 2']);

    lag.close();
    expect(await pending(registry)).toEqual([]);
  });

  it('says nothing while NATS is away rather than a stale or wrong figure', async () => {
    const registry = new Registry();
    const lag = new ConsumerLag(jsm, registry, () => [{ stream: topology.streamName('INCIDENTS'), durable: 'lagging' }], () => false);
    expect(await pending(registry)).toEqual([]);
    lag.close();
  });
});
