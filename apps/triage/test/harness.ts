import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { AnyEvent, EventType } from '@watchfloor/contracts';
import { EventPublisher, type ServiceApp, Topology, type TypedEvent } from '@watchfloor/messaging';
import { loadConfig } from '@watchfloor/platform';
import { apiClient, type CallerClaims, devToken, createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { jetstream } from '@nats-io/jetstream';
import { Client } from 'pg';
import { TriageEnv } from '../src/config';
import { createTriageApp } from '../src/triage-app';

/** Claims a test caller may have. */
export type { CallerClaims } from '@watchfloor/testing';

/** A CloudEvent read back from the stream. */
export type StreamEvent = AnyEvent & { data: Record<string, unknown> & { incidentId?: string; version?: number } };

/** Environment every triage test runs with: fast redelivery, quiet logs. */
export const TEST_ENV = {
  PORT: '0',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_PER_MINUTE: '1000000',
  TRIAGE_CONSUMER_BACKOFF_MS: '100,200,400',
  TRIAGE_CONSUMER_MAX_DELIVER: '40',
} as const;

/** Triage running in-process on its own database and NATS namespace. */
export interface TriageUnderTest {
  url: string;
  app: ServiceApp;
  db: TestDatabase;
  nats: TestNats;
  sql: Client;
  /** A development token (role `triage` unless said otherwise). */
  token(claims?: CallerClaims): Promise<string>;
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Publishes an event on the suite's namespace, as its producer would. */
  publish<T extends EventType>(event: TypedEvent<T>): Promise<void>;
  /** Every event on the namespace's INCIDENTS stream, in order; `type` filters. */
  events(type?: EventType): Promise<StreamEvent[]>;
  /** Events of `type` about `incidentId`, waiting until there are at least `count`. */
  eventsAbout(incidentId: string, type: EventType, count?: number): Promise<StreamEvent[]>;
  /** Waits until the outbox is empty of unpublished rows and the inbox has handled `handled` events. */
  settled(handled: number): Promise<void>;
  /** Stops the service only (a restart test then starts another on the same database and namespace). */
  stopApp(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts triage for one suite; `env` overrides the configuration. With `reuse`, it runs on
 * another instance's database and namespace (a restart) and `close()` leaves them in place.
 */
export async function startTriage(env: Record<string, string> = {}, reuse?: { db: TestDatabase; nats: TestNats }): Promise<TriageUnderTest> {
  const db = reuse?.db ?? (await createTestDatabase());
  const nats = reuse?.nats ?? (await useNats());
  const config = loadConfig(TriageEnv, { DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, ...TEST_ENV, ...env });
  const app = await createTriageApp(config, { relay: { pollIntervalMs: 50 } });
  const url = await app.listen();
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  const nc: NatsConnection = await connect({ servers: nats.url });
  const jsm: JetStreamManager = await jetstreamManager(nc);
  const publisher = new EventPublisher(jetstream(nc), new Topology(nats.namespace));
  const stream = `${nats.namespace}_INCIDENTS`;
  let stopped: Promise<void> | undefined;
  const stopApp = () => (stopped ??= app.close());

  const events = async (type?: EventType): Promise<StreamEvent[]> => {
    const info = await jsm.streams.info(stream);
    const found: StreamEvent[] = [];
    for (let seq = info.state.first_seq; info.state.messages > 0 && seq <= info.state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq });
      const event = message?.json<StreamEvent>();
      if (event && (!type || event.type === type)) found.push(event);
    }
    return found;
  };

  return {
    url,
    app,
    db,
    nats,
    sql,
    token: (claims = { role: 'triage' }) => devToken(claims),
    request: apiClient(url),
    publish: async (event) => {
      await publisher.publish(event);
    },
    events,
    eventsAbout: (incidentId, type, count = 1) =>
      expectEventually(async () => {
        const found = (await events(type)).filter((e) => e.data.incidentId === incidentId);
        if (found.length < count) throw new Error(`${found.length} ${type} about ${incidentId}, waiting for ${count}`);
        return found;
      }, { timeoutMs: 20_000, intervalMs: 50 }),
    settled: (handled) =>
      expectEventually(async () => {
        const { rows } = await sql.query<{ inbox: string; pending: string }>(
          `SELECT (SELECT count(*) FROM triage.inbox) AS inbox, (SELECT count(*) FROM triage.outbox WHERE published_at IS NULL) AS pending`,
        );
        if (Number(rows[0]?.inbox) < handled || Number(rows[0]?.pending) > 0) throw new Error(`not settled: ${JSON.stringify(rows[0])}`);
      }, { timeoutMs: 20_000, intervalMs: 50 }),
    stopApp,
    async close() {
      await stopApp();
      await sql.end();
      await nc.close();
      if (reuse) return;
      await nats.cleanup();
      await db.drop();
    },
  };
}

export { json } from '@watchfloor/testing';
