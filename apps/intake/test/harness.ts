import { jetstreamManager, type JetStreamManager, type StoredMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { loadConfig } from '@watchfloor/platform';
import { apiClient, type CallerClaims, devToken, createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { Client } from 'pg';
import { IntakeEnv } from '../src/config';
import { createIntakeApp } from '../src/intake-app';

/** Claims a test caller may have. */
export type { CallerClaims } from '@watchfloor/testing';

/** Intake running in-process on its own database and NATS namespace, with helpers to look inside. */
export interface IntakeUnderTest {
  url: string;
  db: TestDatabase;
  nats: TestNats;
  sql: Client;
  /** A development token for a caller with these claims. */
  token(claims?: CallerClaims): Promise<string>;
  /** `fetch` against intake with a bearer token and JSON. */
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Every message on this namespace's INCIDENTS stream, in order. */
  streamMessages(): Promise<StoredMsg[]>;
  /**
   * Rows in intake's incident table and outbox, and messages on the stream: what a rejected
   * request must not change. Waits until every outbox row is on the stream, so an event
   * still in flight is not mistaken for a change.
   */
  counts(): Promise<{ incidents: number; outbox: number; messages: number }>;
  close(): Promise<void>;
}

/** Starts intake for one suite. */
export async function startIntake(env: Record<string, string> = {}): Promise<IntakeUnderTest> {
  const db = await createTestDatabase();
  const nats = await useNats();
  const config = loadConfig(IntakeEnv, {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    NATS_NAMESPACE: nats.namespace,
    PORT: '0',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const app = await createIntakeApp(config);
  const url = await app.listen();
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  const nc: NatsConnection = await connect({ servers: nats.url });
  const jsm: JetStreamManager = await jetstreamManager(nc);
  const stream = `${nats.namespace}_INCIDENTS`;

  const streamMessages = async () => {
    const info = await jsm.streams.info(stream);
    const messages: StoredMsg[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq });
      if (message) messages.push(message);
    }
    return messages;
  };

  return {
    url,
    db,
    nats,
    sql,
    token: (claims) => devToken(claims),
    request: apiClient(url),
    streamMessages,
    counts: () =>
      expectEventually(async () => {
        const { rows } = await sql.query<{ incidents: string; outbox: string }>(
          'SELECT (SELECT count(*) FROM intake.incident) AS incidents, (SELECT count(*) FROM intake.outbox) AS outbox',
        );
        const counts = { incidents: Number(rows[0]?.incidents), outbox: Number(rows[0]?.outbox), messages: (await jsm.streams.info(stream)).state.messages };
        if (counts.messages !== counts.outbox) throw new Error(`outbox not yet published: ${JSON.stringify(counts)}`);
        return counts;
      }),
    async close() {
      await app.close();
      await sql.end();
      await nc.close();
      await nats.cleanup();
      await db.drop();
    },
  };
}

/** What `POST /v1/incidents` answers with 201. */
export interface Receipt {
  id: string;
  reference: string;
  status: string;
  receivedAt: string;
}

export { json } from '@watchfloor/testing';

/** The parsed CloudEvent of a stream message. */
export function eventOf(message: StoredMsg): { id: string; type: string; data: Record<string, unknown> } & Record<string, unknown> {
  return message.json();
}
