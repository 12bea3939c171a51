import type { StoredMsg } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import type { EventType } from '@watchfloor/contracts';
import { connectJetStream, defineConsumer, EventPublisher, Topology, type JetStreamConnection, type ServiceApp, type TypedEvent } from '@watchfloor/messaging';
import { loadConfig } from '@watchfloor/platform';
import { apiClient, type CallerClaims, devToken, createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { Client } from 'pg';
import pino from 'pino';
import { NotificationEnv } from '../src/config';
import { createNotificationApp } from '../src/notification-app';
import { ROUTABLE_EVENT_TYPES } from '../src/routing/routable-events';
import type { ResolveHost } from '../src/targets/target-policy';

/** Claims a test caller may have. */
export type { CallerClaims } from '@watchfloor/testing';

/** Settings that make a suite fast: short back-offs and breaker cooldowns, http and loopback allowed. */
export const FAST_DELIVERY_ENV: Record<string, string> = {
  NOTIFICATION_ALLOW_HTTP: 'true',
  NOTIFICATION_ALLOW_LOOPBACK: 'true',
  NOTIFICATION_RETRY_BASE_MS: '50',
  NOTIFICATION_RETRY_MAX_MS: '2000',
  NOTIFICATION_MAX_ATTEMPTS: '3',
  NOTIFICATION_BREAKER_THRESHOLD: '5',
  NOTIFICATION_BREAKER_COOLDOWN_MS: '300',
  NOTIFICATION_POLL_MS: '50',
  NOTIFICATION_WEBHOOK_TIMEOUT_MS: '2000',
  RATE_LIMIT_PER_MINUTE: '100000',
};

/** Consumers with a short back-off, so an event that arrives before its incident is retried quickly. */
export const FAST_CONSUMERS = ROUTABLE_EVENT_TYPES.map((type) => defineConsumer('notification', type, { maxDeliver: 10, backoffMs: [100, 200, 400] }));

/** A delivery row of the ledger. */
export interface LedgerRow {
  id: string;
  event_id: string;
  subscription_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  last_http_status: number | null;
}

/** Notification running in-process on its own database and NATS namespace, with helpers to look inside. */
export interface NotificationUnderTest {
  url: string;
  db: TestDatabase;
  nats: TestNats;
  sql: Client;
  /** The service itself, to reach a provider. */
  service: ServiceApp;
  token(claims?: CallerClaims): Promise<string>;
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Publishes events on the suite's namespace, as intake and triage would. */
  publish(...events: TypedEvent<EventType>[]): Promise<void>;
  /** Publishes the same event again under another message id (the broker does not drop it: a redelivery). */
  republish(event: TypedEvent<EventType>): Promise<void>;
  /** Creates a subscription as a caller with `claims`; returns its id and secret. */
  subscribe(claims: CallerClaims, body: Record<string, unknown>): Promise<{ id: string; secret: string | null }>;
  ledger(where?: string, params?: unknown[]): Promise<LedgerRow[]>;
  /** Messages on this namespace's stream (`NOTIFICATIONS`, ...), in order. */
  streamMessages(stream: string): Promise<StoredMsg[]>;
  close(): Promise<void>;
}

/**
 * Starts notification for one suite. Given `shared` (another instance's database and
 * namespace) it is a second replica: closing it leaves both to their first owner.
 */
export async function startNotification(
  env: Record<string, string> = {},
  shared?: { db: TestDatabase; nats: TestNats },
  options: { resolveHost?: ResolveHost } = {},
): Promise<NotificationUnderTest> {
  const db = shared?.db ?? (await createTestDatabase());
  const nats = shared?.nats ?? (await useNats());
  const config = loadConfig(NotificationEnv, {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    NATS_NAMESPACE: nats.namespace,
    PORT: '0',
    LOG_LEVEL: process.env['NOTIFICATION_TEST_LOG_LEVEL'] ?? 'silent',
    ...FAST_DELIVERY_ENV,
    ...env,
  });
  const app = await createNotificationApp(config, { consumers: FAST_CONSUMERS, resolveHost: options.resolveHost });
  const url = await app.listen();
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  const connection: JetStreamConnection = await connectJetStream({ servers: nats.url, name: 'notification-test', logger: pino({ level: 'silent' }) });
  const topology = new Topology(nats.namespace);
  const publisher = new EventPublisher(connection.js, topology);
  const nc: NatsConnection = await connect({ servers: nats.url });
  const jsm = await jetstreamManager(nc);

  const token = (claims?: CallerClaims) => devToken(claims);
  const request: NotificationUnderTest['request'] = apiClient(url);

  return {
    url,
    db,
    nats,
    sql,
    service: app,
    token,
    request,
    async publish(...events) {
      for (const event of events) await publisher.publish(event);
    },
    async republish(event) {
      await connection.js.publish(topology.eventSubject(event), JSON.stringify(event), { msgID: `${event.id}-again-${Date.now()}` });
    },
    async subscribe(claims, body) {
      const response = await request('POST', '/v1/subscriptions', { token: await token(claims), body });
      const answer = (await response.json()) as { id: string; secret: string | null };
      if (response.status !== 201) throw new Error(`subscription refused: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    },
    async ledger(where = 'true', params = []) {
      const { rows } = await sql.query<LedgerRow>(
        `SELECT id, event_id, subscription_id, status, attempts, last_error, last_http_status FROM notification.delivery WHERE ${where} ORDER BY created_at, id`,
        params,
      );
      return rows;
    },
    async streamMessages(stream) {
      const name = `${nats.namespace}_${stream}`;
      const info = await jsm.streams.info(name);
      const messages: StoredMsg[] = [];
      for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
        const message = await jsm.streams.getMessage(name, { seq });
        if (message) messages.push(message);
      }
      return messages;
    },
    async close() {
      await app.close();
      await sql.end();
      await connection.close();
      await nc.close();
      if (shared) return;
      await nats.cleanup();
      await db.drop();
    },
  };
}

export { json } from '@watchfloor/testing';

/** Waits until the ledger rows matching `where` satisfy `check`. */
export function eventuallyLedger(nut: NotificationUnderTest, where: string, params: unknown[], check: (rows: LedgerRow[]) => void, timeoutMs = 15_000): Promise<LedgerRow[]> {
  return expectEventually(async () => {
    const rows = await nut.ledger(where, params);
    check(rows);
    return rows;
  }, { timeoutMs, intervalMs: 50 });
}
