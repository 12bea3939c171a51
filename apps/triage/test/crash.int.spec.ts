import { jetstream, jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { EventPublisher, Topology } from '@watchfloor/messaging';
import { type ChildService, createTestDatabase, expectEventually, spawnService, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { Client } from 'pg';
import { reportedEvent } from './events';
import { TEST_ENV } from './harness';

const BACKLOG = 300;

describe('triage: killed mid-backlog, each incident triaged exactly once after a restart', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let sql: Client;
  let triage: ChildService | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    nc = await connect({ servers: nats.url });
    jsm = await jetstreamManager(nc);
    sql = new Client({ connectionString: db.url });
  });
  afterAll(async () => {
    await triage?.stop();
    await sql.end();
    await nc.close();
    await nats.cleanup();
    await db.drop();
  });

  /** incident.triaged events on the stream, by incident id. */
  async function triagedCounts(): Promise<Map<string, number>> {
    const stream = `${nats.namespace}_INCIDENTS`;
    const { state } = await jsm.streams.info(stream);
    const counts = new Map<string, number>();
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const event = (await jsm.streams.getMessage(stream, { seq }))?.json<{ type: string; data: { incidentId: string } }>();
      if (event?.type === 'watchfloor.incident.triaged.v1') counts.set(event.data.incidentId, (counts.get(event.data.incidentId) ?? 0) + 1);
    }
    return counts;
  }

  it('kill -9 while the backlog is consumed: after the restart every incident has one row and one incident.triaged', async () => {
    triage = await spawnService('triage', { ...TEST_ENV, DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace }, { waitFor: 'ready' });
    await sql.connect();
    const publisher = new EventPublisher(jetstream(nc), new Topology(nats.namespace));
    // Distinct observables: nothing correlates, so each incident has exactly one triaged event.
    const backlog = Array.from({ length: BACKLOG }, (_, i) => reportedEvent({ observables: [{ type: 'ipv4', value: `10.9.${Math.floor(i / 250)}.${i % 250}` }] }));
    await Promise.all(backlog.map((event) => publisher.publish(event)));

    await expectEventually(async () => {
      const { rows } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM triage.incident');
      expect(rows[0]?.n).toBeGreaterThan(20);
    }, { timeoutMs: 30_000 });
    await triage.kill();
    const { rows: atKill } = await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM triage.incident');
    expect(atKill[0]?.n).toBeLessThan(BACKLOG);

    await triage.restart();
    await expectEventually(async () => {
      const { rows } = await sql.query<{ incidents: number; unpublished: number }>(
        'SELECT (SELECT count(*)::int FROM triage.incident) AS incidents, (SELECT count(*)::int FROM triage.outbox WHERE published_at IS NULL) AS unpublished',
      );
      expect(rows[0]).toEqual({ incidents: BACKLOG, unpublished: 0 });
    }, { timeoutMs: 60_000, intervalMs: 200 });
    const counts = await expectEventually(async () => {
      const found = await triagedCounts();
      expect(found.size).toBe(BACKLOG);
      return found;
    }, { timeoutMs: 30_000, intervalMs: 200 });
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(counts.keys())).toEqual(new Set(backlog.map((e) => e.data.incidentId)));
    const { rows: versions } = await sql.query<{ v: number }>('SELECT DISTINCT version AS v FROM triage.incident');
    expect(versions).toEqual([{ v: 1 }]);
    // The backlog was consumed in batches (several incidents per commit), so the kill hit a batch.
    const { rows: commits } = await sql.query<{ n: number }>(`SELECT count(DISTINCT xmin::text)::int AS n FROM triage.inbox WHERE consumer = 'triage--incident-reported'`);
    expect(commits[0]?.n).toBeLessThan(BACKLOG / 2);
  });
});
