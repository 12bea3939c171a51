import { generateKeyPairSync } from 'node:crypto';
import type { AnyEvent } from '@watchfloor/contracts';
import { connectJetStream, EventPublisher, Topology, type JetStreamConnection, type TypedEvent } from '@watchfloor/messaging';
import { loadConfig } from '@watchfloor/platform';
import { apiClient, type CallerClaims, devToken, createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { Client } from 'pg';
import pino from 'pino';
import { createAuditApp } from '../src/audit-app';
import type { SignedCheckpoint } from '../src/chain/checkpoint-signature';
import { Checkpointer } from '../src/checkpoints/checkpointer';
import { AuditEnv } from '../src/config';

/** Claims a test caller may have. */
export type { CallerClaims } from '@watchfloor/testing';

/** A fresh Ed25519 signing key as PKCS#8 PEM. */
export function aSigningKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** Audit running in-process on its own database and NATS namespace, with a way to publish events to it. */
export interface AuditUnderTest {
  url: string;
  db: TestDatabase;
  nats: TestNats;
  sql: Client;
  topology: Topology;
  connection: JetStreamConnection;
  /** A development token for a caller with these claims (default: an auditor cleared for red). */
  token(claims?: CallerClaims): Promise<string>;
  request(method: string, path: string, options?: { token?: string; headers?: Record<string, string> }): Promise<Response>;
  /** Publishes events on the suite's namespace, as the other services would. */
  publish(events: readonly AnyEvent[]): Promise<void>;
  /** Waits until the chain holds `count` entries. */
  waitForEntries(count: number, timeoutMs?: number): Promise<void>;
  entryCount(): Promise<number>;
  /** Signs a checkpoint of the head now (what the timer does). */
  checkpointNow(): Promise<SignedCheckpoint | undefined>;
  /** The settings this suite's audit runs with, for a replica or a child process. */
  env: Record<string, string>;
  /** Starts another audit on the same database and namespace; resolves to its `close`. */
  startReplica(): Promise<() => Promise<void>>;
  /** Stops the service (the database and namespace stay) and starts it again with the same settings. */
  restart(env?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/** Starts audit for one suite. */
export async function startAudit(env: Record<string, string> = {}): Promise<AuditUnderTest> {
  const db = await createTestDatabase();
  const nats = await useNats();
  const baseEnv = {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    NATS_NAMESPACE: nats.namespace,
    NODE_ENV: 'test',
    PORT: '0',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '100000',
    AUDIT_SIGNING_KEY: aSigningKeyPem(),
    AUDIT_RETRY_MS: '50',
    ...env,
  };
  const boot = async (extra: Record<string, string> = {}) => {
    const app = await createAuditApp(loadConfig(AuditEnv, { ...baseEnv, ...extra }));
    return { app, url: await app.listen() };
  };
  let running = await boot();
  const sql = new Client({ connectionString: db.url });
  await sql.connect();
  const connection = await connectJetStream({ servers: nats.url, name: 'audit-test', logger: pino({ level: 'silent' }) });
  const topology = new Topology(nats.namespace);
  const publisher = new EventPublisher(connection.js, topology);
  const entryCount = async () => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM audit.entry')).rows[0]?.n);

  const audit: AuditUnderTest = {
    get url() {
      return running.url;
    },
    db,
    nats,
    sql,
    topology,
    connection,
    token: (claims = { roles: ['auditor'], clearance: 'red' }) => devToken(claims),
    // A restart boots a new app on a new port: resolve the URL at each request.
    request: (method, path, options) => apiClient(running.url)(method, path, options),
    async publish(events) {
      for (const event of events) await publisher.publish(event as TypedEvent);
    },
    waitForEntries: (count, timeoutMs = 20_000) =>
      expectEventually(
        async () => {
          const n = await entryCount();
          if (n !== count) throw new Error(`the chain holds ${n} entries, not ${count}`);
        },
        { timeoutMs, intervalMs: 50 },
      ),
    entryCount,
    env: baseEnv,
    async startReplica() {
      const replica = await boot();
      return () => replica.app.close();
    },
    checkpointNow: () => running.app.app.get(Checkpointer).checkpointNow(),
    async restart(extra) {
      await running.app.close();
      running = await boot(extra);
    },
    async close() {
      await running.app.close();
      await sql.end();
      await connection.close();
      await nats.cleanup();
      await db.drop();
    },
  };
  return audit;
}

export { json } from '@watchfloor/testing';
