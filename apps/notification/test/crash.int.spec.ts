import { connectJetStream, EventPublisher, Topology, type JetStreamConnection } from '@watchfloor/messaging';
import { DEV_AUTH_SECRET, signDevToken } from '@watchfloor/platform';
import { aCaller, type ChildService, createTestDatabase, expectEventually, spawnService, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { Client } from 'pg';
import pino from 'pino';
import { anIncident, reported } from './events';
import { FAST_DELIVERY_ENV } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const BURST = 150;
const PATHS = ['/a', '/b', '/c'];

describe('notification: killed mid-burst, it sends every pending notification after a restart, none twice', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let receiver: WebhookReceiver;
  let connection: JetStreamConnection;
  let sql: Client;
  let notification: ChildService | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    receiver = await startReceiver();
    connection = await connectJetStream({ servers: nats.url, name: 'crash-test', logger: pino({ level: 'silent' }) });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterAll(async () => {
    await notification?.stop();
    await sql.end();
    await connection.close();
    await receiver.close();
    await nats.cleanup();
    await db.drop();
  });

  it('kill -9 while routing and sending: after a restart each (event, subscription) is delivered, under one webhook-id', async () => {
    // Slow-ish receivers, so that attempts are in flight when the process dies.
    for (const path of PATHS) receiver.respond(path, () => ({ status: 200, delayMs: 20 }));
    notification = await spawnService(
      'notification',
      {
        ...FAST_DELIVERY_ENV,
        DATABASE_URL: db.url,
        NATS_URL: nats.url,
        NATS_NAMESPACE: nats.namespace,
        NOTIFICATION_WEBHOOK_TIMEOUT_MS: '1000',
        NOTIFICATION_MAX_ATTEMPTS: '10',
      },
      { waitFor: 'ready' },
    );
    const token = await signDevToken(aCaller({ role: 'automation', sub: 'soar' }), DEV_AUTH_SECRET, '1h');
    const subscriptions = new Map<string, string>();
    for (const path of PATHS) {
      const response = await fetch(`${notification.url}/v1/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: path, channel: 'webhook', target: `${receiver.url}${path}`, events: ['watchfloor.incident.reported.v1'] }),
      });
      expect(response.status).toBe(201);
      subscriptions.set(((await response.json()) as { id: string }).id, path);
    }

    const publisher = new EventPublisher(connection.js, new Topology(nats.namespace));
    const events = Array.from({ length: BURST }, () => reported(anIncident()));
    await Promise.all(events.map((event) => publisher.publish(event)));
    await expectEventually(() => expect(receiver.received.length).toBeGreaterThanOrEqual(60), { timeoutMs: 30_000, intervalMs: 5 });
    await notification.kill();
    const beforeRestart = receiver.received.length;
    expect(beforeRestart).toBeLessThan(BURST * PATHS.length);

    await notification.restart();
    const expected = BURST * PATHS.length;
    await expectEventually(async () => {
      const { rows } = await sql.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM notification.delivery GROUP BY status`);
      expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['delivered', expected]]);
    }, { timeoutMs: 60_000, intervalMs: 100 });

    // The ledger: exactly one delivery per (event, subscription).
    const { rows: ledger } = await sql.query<{ id: string; event_id: string; subscription_id: string }>(`SELECT id, event_id, subscription_id FROM notification.delivery`);
    expect(ledger).toHaveLength(expected);
    expect(new Set(ledger.map((r) => `${r.event_id}|${r.subscription_id}`)).size).toBe(expected);
    expect(new Set(ledger.map((r) => r.event_id))).toEqual(new Set(events.map((e) => e.id)));

    // The receivers: every (event, subscription) arrived, each under its one webhook-id. An attempt in
    // flight at the kill may arrive again after the restart, with the same webhook-id, as Standard
    // Webhooks intends (receivers deduplicate on it); never under a second id.
    const byDelivery = new Map(ledger.map((r) => [r.id, r] as const));
    const seen = new Map<string, string>();
    for (const request of receiver.received) {
      const webhookId = String(request.headers['webhook-id']);
      const row = byDelivery.get(webhookId);
      expect(row).toBeDefined();
      expect(subscriptions.get(row?.subscription_id ?? '')).toBe(request.path);
      expect((JSON.parse(request.body) as { id: string }).id).toBe(row?.event_id);
      seen.set(webhookId, request.path);
    }
    expect(seen.size).toBe(expected);
    // Every webhook re-sent is an attempt the ledger counted: one in flight at the kill (at most the
    // per-target concurrency, 16 here), or, on a machine too busy to answer within the timeout, a retry.
    const resent = receiver.received.length - expected;
    const { rows: [counted] } = await sql.query<{ attempts: string }>(`SELECT sum(attempts) AS attempts FROM notification.delivery`);
    expect(resent).toBeLessThanOrEqual(Number(counted?.attempts) - expected);
    process.stdout.write(`crash test: ${beforeRestart} webhooks before the kill, ${resent} re-sent after the restart (same webhook-id), ${Number(counted?.attempts) - expected} attempts beyond one per delivery\n`);
  });
});
