import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { apiClient, devToken, expectEventually, readStream, SERVICES, startScaledSystem, startWebhookReceiver, tally, type ScaledSystem, type WebhookReceiver } from '@watchfloor/testing';
import { Client } from 'pg';
import { postIncidents, type LoadOutcome } from './incident-load';

// Scale-out proof (issue 6): two processes of every service on a three-server JetStream
// cluster, a few thousand incidents, one NATS server and one replica of each service
// killed mid-run; every incident must still be triaged, notified and audited exactly once.
const INCIDENTS = Number(process.env['SCALE_OUT_INCIDENTS'] ?? 3000);
const CONCURRENCY = 32;
const ROUTED = ['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1'];
const STREAMS = ['INCIDENTS', 'NOTIFICATIONS', 'AUDIT', 'DEADLETTER'];
const OUTBOXES = ['intake', 'triage', 'notification', 'audit'];

jest.setTimeout(400_000);

describe('scale-out: two replicas of every service on a three-server JetStream cluster', () => {
  const run = randomBytes(3).toString('hex');
  let system: ScaledSystem;
  let receiver: WebhookReceiver;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let sql: Client;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    system = await startScaledSystem();
    nc = await connect({ servers: system.cluster.urls, name: 'scale-out-test', maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    js = jetstream(nc, { timeout: 10_000 });
    jsm = await jetstreamManager(nc, { timeout: 10_000 });
    sql = new Client({ connectionString: system.db.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await nc?.close();
    await system?.stop();
    await receiver?.close();
  });

  const count = async (query: string): Promise<number> => Number((await sql.query<{ n: string }>(query)).rows[0]?.n);

  /** Every event made, relayed, consumed and delivered: nothing left anywhere to do. */
  const expectDrained = async (accepted: number) => {
    expect(await count('SELECT count(*) AS n FROM triage.incident')).toBe(accepted);
    expect(await count(`SELECT count(*) AS n FROM intake.incident WHERE status = 'triaged'`)).toBe(accepted);
    expect(await count(`SELECT count(*) AS n FROM notification.delivery WHERE status = 'delivered'`)).toBe(ROUTED.length * accepted);
    for (const schema of OUTBOXES) expect([schema, await count(`SELECT count(*) AS n FROM ${schema}.outbox WHERE published_at IS NULL`)]).toEqual([schema, 0]);
    let onStreams = 0;
    for (const stream of ['INCIDENTS', 'NOTIFICATIONS']) {
      onStreams += (await jsm.streams.info(stream)).state.messages;
      for await (const consumer of jsm.consumers.list(stream)) {
        expect([consumer.name, consumer.num_pending, consumer.num_ack_pending]).toEqual([consumer.name, 0, 0]);
      }
    }
    expect(await count('SELECT count(*) AS n FROM audit.entry')).toBe(onStreams);
  };

  it('triages, notifies and audits every incident exactly once through the loss of a NATS server and a replica of each service', async () => {
    const notification = apiClient(system.replicas.notification[1].url);
    const partner = await devToken({ role: 'partner', sub: 'partner-soc', org: 'partner-soc', clearance: 'amber' });
    const subscribed = await notification('POST', '/v1/subscriptions', {
      token: partner,
      body: { name: 'partner SOC', channel: 'webhook', target: `${receiver.url}/partner`, events: ROUTED },
    });
    expect(subscribed.status).toBe(201);

    // Mid-run, once a third is in: SIGKILL the server leading INCIDENTS, and one replica of each service.
    let chaos: Promise<string> | undefined;
    const strike = async () => {
      const leader = (await jsm.streams.info('INCIDENTS')).cluster?.leader ?? '';
      const victim = Math.max(0, system.cluster.indexOf(leader));
      await Promise.all([system.cluster.kill(victim), ...SERVICES.map((service) => system.replicas[service][0].kill())]);
      return system.cluster.names[victim] as string;
    };
    const started = Date.now();
    const load: LoadOutcome = await postIncidents({
      run,
      count: INCIDENTS,
      intakes: system.replicas.intake.map((replica) => replica.url),
      token: await devToken({ role: 'official', sub: 'scale-out', jurisdiction: 'ocd-division/country:us', clearance: 'amber', org: 'scale-out' }),
      concurrency: CONCURRENCY,
      onAccepted: (accepted) => {
        if (accepted >= INCIDENTS / 3) chaos ??= strike();
      },
    });
    const loadMs = Date.now() - started;
    const killedServer = await chaos;
    expect(killedServer).toBeDefined();
    expect(load.refused).toEqual([]);
    expect(load.accepted.size).toBe(INCIDENTS);
    const incidentIds = new Set(load.accepted.values());
    expect(incidentIds.size).toBe(INCIDENTS);
    // The retries after a dead intake made no second incident (same Idempotency-Key, same body).
    expect(await count('SELECT count(*) AS n FROM intake.incident')).toBe(INCIDENTS);

    await expectEventually(() => expectDrained(INCIDENTS), { timeoutMs: 240_000, intervalMs: 1_000 });
    const drainedMs = Date.now() - started;

    // Each stream still has three replicas (one of them on the dead server).
    for (const stream of STREAMS) expect([stream, (await jsm.streams.info(stream)).config.num_replicas]).toEqual([stream, 3]);
    expect((await jsm.streams.info('DEADLETTER')).state.messages).toBe(0);

    // Triaged once: one report and one triage per accepted incident on the stream, and one triage row.
    const incidentEvents = await readStream(js, jsm, 'INCIDENTS');
    expect(tally(incidentEvents.map((e) => e.type))).toEqual(new Map(ROUTED.map((type) => [type, INCIDENTS])));
    for (const type of ROUTED) {
      const perIncident = tally(incidentEvents.filter((e) => e.type === type).map((e) => e.incidentId));
      expect(new Set(perIncident.keys())).toEqual(incidentIds);
      expect([type, Math.max(...perIncident.values())]).toEqual([type, 1]);
    }
    const triaged = await sql.query<{ id: string }>('SELECT id FROM triage.incident');
    expect(new Set(triaged.rows.map((row) => row.id))).toEqual(incidentIds);

    // Notified once per (event, subscription): one ledger row per routed event, each delivered,
    // each outcome published once, and every webhook-id seen by the partner.
    const ledger = await sql.query<{ id: string; event_id: string }>(`SELECT id, event_id FROM notification.delivery WHERE status = 'delivered'`);
    expect(new Set(ledger.rows.map((row) => row.event_id))).toEqual(new Set(incidentEvents.map((e) => e.id)));
    const deliveryIds = new Set(ledger.rows.map((row) => row.id));
    expect(new Set(receiver.received.keys())).toEqual(deliveryIds);
    const notificationEvents = await readStream(js, jsm, 'NOTIFICATIONS');
    // An attempt that timed out on a busy machine is announced (notification.failed) and retried:
    // allowed, and counted. What must hold is one `delivered` per delivery.
    const failedAttempts = notificationEvents.filter((e) => e.type === 'watchfloor.notification.failed.v1');
    expect(tally(notificationEvents.filter((e) => e.type !== 'watchfloor.notification.failed.v1').map((e) => e.type))).toEqual(new Map([
      ['watchfloor.subscription.changed.v1', 1],
      ['watchfloor.notification.delivered.v1', deliveryIds.size],
    ]));
    const delivered = notificationEvents.filter((e) => e.type === 'watchfloor.notification.delivered.v1');
    expect(new Set(delivered.map((e) => e.deliveryId))).toEqual(deliveryIds);
    expect(new Set(failedAttempts.map((e) => e.deliveryId).filter((id) => id !== undefined && !deliveryIds.has(id)))).toEqual(new Set());

    // Audited once: one entry per event on the two streams, and the chain verifies.
    const entries = await sql.query<{ event_id: string }>('SELECT event_id FROM audit.entry');
    const streamEventIds = new Set([...incidentEvents, ...notificationEvents].map((e) => e.id));
    expect(streamEventIds.size).toBe(incidentEvents.length + notificationEvents.length);
    expect(entries.rows).toHaveLength(streamEventIds.size);
    expect(new Set(entries.rows.map((row) => row.event_id))).toEqual(streamEventIds);
    const auditor = await devToken({ role: 'auditor', clearance: 'red' });
    const verify = await apiClient(system.replicas.audit[1].url)('GET', '/v1/audit/verify', { token: auditor });
    expect(await verify.json()).toMatchObject({ valid: true, entries: streamEventIds.size });

    console.log(
      [
        `scale-out: ${INCIDENTS} incidents through 2 intakes in ${(loadMs / 1000).toFixed(1)} s (${Math.round(INCIDENTS / (loadMs / 1000))}/s accepted);`,
        `drained (triaged, notified, audited) ${(drainedMs / 1000).toFixed(1)} s after the first post (${Math.round(INCIDENTS / (drainedMs / 1000))} incidents/s end to end);`,
        `killed nats-server ${killedServer} and one replica of each service at ${Math.round(INCIDENTS / 3)} accepted;`,
        `${load.retried} submissions re-sent to the other intake (${load.lostInFlight} lost in flight, ${load.refusedConnections} refused by the dead one);`,
        `${streamEventIds.size} events audited; partner got ${receiver.total()} webhooks for ${deliveryIds.size} deliveries (${receiver.repeats()} repeats of a webhook-id, ${failedAttempts.length} attempts failed and retried).`,
      ].join('\n  '),
    );
  });
});
