import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expectEventually, startNatsCluster, type NatsCluster } from '@watchfloor/testing';

describe('startNatsCluster', () => {
  let cluster: NatsCluster;

  beforeAll(async () => {
    cluster = await startNatsCluster(3);
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('runs three routed JetStream servers that keep an R3 stream through the loss and return of one', async () => {
    const nc = await connect({ servers: cluster.urls, reconnectTimeWait: 100, maxReconnectAttempts: -1 });
    try {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      await jsm.streams.add({ name: 'PROBE', subjects: ['probe.>'], num_replicas: 3 });
      await js.publish('probe.one', 'one');
      const before = await jsm.streams.info('PROBE');
      expect(before.config.num_replicas).toBe(3);
      expect([before.cluster?.leader, ...(before.cluster?.replicas ?? []).map((r) => r.name)].sort()).toEqual([...cluster.names].sort());

      const leader = cluster.indexOf(before.cluster?.leader ?? '');
      expect(leader).toBeGreaterThanOrEqual(0);
      await cluster.kill(leader);
      expect(cluster.isRunning(leader)).toBe(false);
      // Another server takes the lead, and the stream still takes writes.
      await expectEventually(async () => {
        const info = await jsm.streams.info('PROBE');
        expect(info.cluster?.leader).toBeDefined();
        expect(info.cluster?.leader).not.toBe(cluster.names[leader]);
        await js.publish('probe.two', 'two', { timeout: 1_000 });
      }, { timeoutMs: 20_000, intervalMs: 200 });

      await cluster.restart(leader);
      await expectEventually(async () => {
        const info = await jsm.streams.info('PROBE');
        const back = info.cluster?.replicas?.find((r) => r.name === cluster.names[leader]);
        expect(back).toMatchObject({ current: true });
        expect(info.state.messages).toBe(2);
      }, { timeoutMs: 20_000, intervalMs: 200 });
    } finally {
      await nc.close();
    }
  });
});
