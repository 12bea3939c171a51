import { jetstreamManager } from '@nats-io/jetstream';
import { connectJetStream, EventPublisher, provisionStreams, Topology, type TypedEvent } from '@watchfloor/messaging';
import { DEV_AUTH_SECRET, signDevToken } from '@watchfloor/platform';
import { aCaller, createTestDatabase, expectEventually, spawnService, useNats } from '@watchfloor/testing';
import { Client } from 'pg';
import pino from 'pino';
import { aSigningKeyPem, json, startAudit } from './harness';
import { anIncidentFlow } from './incident-flow';

const distinctAndContiguous = `SELECT count(*)::int AS entries, count(DISTINCT event_id)::int AS events, coalesce(max(sequence), 0)::int AS last FROM audit.entry`;

describe('audit under replicas and crashes', () => {
  it('two replicas share the consumers and the chain never forks', async () => {
    const audit = await startAudit({ AUDIT_BATCH_SIZE: '50' });
    const closeReplica = await audit.startReplica();
    try {
      const events = Array.from({ length: 60 }, () => anIncidentFlow()).flat();
      await audit.publish(events);
      await audit.waitForEntries(events.length, 60_000);
      const { rows } = await audit.sql.query<{ entries: number; events: number; last: number }>(distinctAndContiguous);
      expect(rows[0]).toEqual({ entries: events.length, events: events.length, last: events.length });
      const verdict = await json(audit.request('GET', '/v1/audit/verify', { token: await audit.token() }));
      expect(verdict).toMatchObject({ valid: true, entries: events.length });
    } finally {
      await closeReplica();
      await audit.close();
    }
  });

  it('kill -9 while a backlog is being recorded: after a restart every event is in the chain exactly once', async () => {
    const db = await createTestDatabase();
    const nats = await useNats();
    const connection = await connectJetStream({ servers: nats.url, name: 'audit-crash-test', logger: pino({ level: 'silent' }) });
    const sql = new Client({ connectionString: db.url });
    const topology = new Topology(nats.namespace);
    const events = Array.from({ length: 150 }, () => anIncidentFlow()).flat();
    let child: Awaited<ReturnType<typeof spawnService>> | undefined;
    try {
      // The backlog is on the streams before audit first starts, as after an outage.
      await provisionStreams(connection.jsm, topology);
      const publisher = new EventPublisher(connection.js, topology);
      await Promise.all(events.map((event) => publisher.publish(event as TypedEvent)));
      child = await spawnService('audit', {
        DATABASE_URL: db.url,
        NATS_URL: nats.url,
        NATS_NAMESPACE: nats.namespace,
        AUDIT_SIGNING_KEY: aSigningKeyPem(),
        AUDIT_BATCH_SIZE: '20',
        AUDIT_CHECKPOINT_EVERY: '100',
        // What the killed process had taken comes back after this.
        AUDIT_ACK_WAIT_MS: '2000',
      });
      await sql.connect();
      const count = async () => (await sql.query<{ entries: number; events: number; last: number }>(distinctAndContiguous)).rows[0];
      await expectEventually(async () => expect((await count())?.entries).toBeGreaterThan(0), { timeoutMs: 30_000 });
      await child.kill();
      await child.restart();
      await expectEventually(async () => expect(await count()).toEqual({ entries: events.length, events: events.length, last: events.length }), { timeoutMs: 60_000, intervalMs: 100 });
      const token = await signDevToken(aCaller({ roles: ['auditor'], clearance: 'red' }), DEV_AUTH_SECRET, '1h');
      const verdict = await json(fetch(`${child.url}/v1/audit/verify`, { headers: { authorization: `Bearer ${token}` } }));
      expect(verdict).toMatchObject({ valid: true, entries: events.length });
      const jsm = await jetstreamManager(connection.nc);
      await expectEventually(async () => {
        const info = await jsm.consumers.info(topology.streamName('INCIDENTS'), 'audit--incidents');
        expect(info.num_pending + info.num_ack_pending).toBe(0);
      });
    } finally {
      await child?.stop();
      await sql.end().catch(() => undefined);
      await connection.close();
      await nats.cleanup();
      await db.drop();
    }
  });
});
