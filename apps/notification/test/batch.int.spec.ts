import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { AnyEvent } from '@watchfloor/contracts';
import { EventPublisher, provisionTopology, Topology } from '@watchfloor/messaging';
import { countStatements, createTestDatabase, expectEventually, GEORGIA, useNats } from '@watchfloor/testing';
import type { EntityManager } from 'typeorm';
import { IncidentNotYetKnown, RouteEvent, type RoutableEvent } from '../src/routing/route-event.usecase';
import { anIncident, correlated, recategorised, relabelled, reported, triaged, type TestIncident } from './events';
import { startNotification, type NotificationUnderTest } from './harness';

const REPORTED = 'watchfloor.incident.reported.v1';
const UPDATED = 'watchfloor.incident.updated.v1';
const TRIAGED = 'watchfloor.incident.triaged.v1';
const CORRELATED = 'watchfloor.incident.correlated.v1';
const COBB = `${GEORGIA}/county:cobb`;
const alone = <T>(work: () => T): T => work();

/**
 * Notification routes a consumer's pull as a batch (`RouteEvent.executeAll`, shared
 * statements). Each event must have exactly the effect it has alone, in the batch's order,
 * and an event that cannot be routed yet must not hold back the others.
 */
describe('notification: events routed as a batch', () => {
  let nut: NotificationUnderTest;

  beforeAll(async () => {
    nut = await startNotification();
    const partner = { role: 'partner' as const, org: 'partner-a' };
    const all = [REPORTED, UPDATED, TRIAGED, CORRELATED];
    const hook = (name: string, events: string[], filter?: Record<string, unknown>) => ({ name, channel: 'webhook', target: `https://hooks.example/${name}`, events, ...(filter ? { filter } : {}) });
    await nut.subscribe({ ...partner, clearance: 'red' }, hook('red-cleared', all));
    await nut.subscribe({ ...partner, clearance: 'amber' }, hook('amber', all));
    await nut.subscribe({ ...partner, clearance: 'green' }, hook('green', all));
    await nut.subscribe({ ...partner, clearance: 'amber+strict', org: 'fulton-elections' }, hook('strict-fulton', all));
    await nut.subscribe({ ...partner, clearance: 'amber' }, hook('high', [TRIAGED], { minPriority: 'high' }));
    await nut.subscribe({ ...partner, clearance: 'amber' }, hook('ransomware', [UPDATED, CORRELATED], { categories: ['ransomware'] }));
    await nut.subscribe({ ...partner, clearance: 'amber' }, hook('cobb', [CORRELATED], { jurisdictions: [COBB] }));
  });
  afterAll(async () => {
    await nut?.close();
  });

  const usecase = () => nut.service.app.get(RouteEvent, { strict: false });
  const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>) => nut.service.messagingDataSource.transaction(work);

  /**
   * Routes `events` as the transport does: together in one transaction; if that fails, each
   * alone in its own. Returns the events that failed (to be redelivered).
   */
  async function route(events: RoutableEvent[]): Promise<RoutableEvent[]> {
    try {
      await inTransaction((manager) => usecase().executeAll(manager, events.map((event) => ({ event, within: alone }))));
      return [];
    } catch {
      return oneByOne(events);
    }
  }

  /** Each event alone, in order; the ones that failed. */
  async function oneByOne(events: RoutableEvent[]): Promise<RoutableEvent[]> {
    const failed: RoutableEvent[] = [];
    for (const event of events) {
      await inTransaction((manager) => usecase().executeAll(manager, [{ event, within: alone }])).catch((error: unknown) => {
        if (!(error instanceof IncidentNotYetKnown)) throw error;
        failed.push(event);
      });
    }
    return failed;
  }

  /**
   * A scenario's events in consumer batches (each of one type, as a consumer's pull is): a
   * relabel to red in the same batch as a later update of that incident; an older update
   * after a newer one (it only fills gaps); a triage event whose report comes later; clusters.
   */
  function scenario() {
    const i1 = anIncident();
    const i2 = anIncident({ jurisdiction: COBB, org: 'cobb-elections' });
    const i3 = anIncident({ tlp: 'amber+strict' });
    const i4 = anIncident();
    const early: TestIncident = anIncident();
    const events = {
      r1: reported(i1), r2: reported(i2), r3: reported(i3), r4: reported(i4),
      red: relabelled(i1, 'red', 2), afterRed: recategorised(i1, 'ransomware', 3),
      newer: recategorised(i4, 'ransomware', 3), older: relabelled(i4, 'clear', 2), green: relabelled(i2, 'green', 2),
      t1: triaged(i1, 'high'), tEarly: triaged(early, 'severe'), t2: triaged(i2, 'low'), t3: triaged(i3, 'severe'), t4: triaged(i4, 'high'),
      rEarly: reported(early),
      c24: correlated([i2, i4]), c34: correlated([i3, i4]), c13: correlated([i1, i3]),
    };
    const e = events;
    const batches: RoutableEvent[][] = [
      [e.r1, e.r2, e.r3, e.r4],
      [e.red, e.afterRed, e.newer, e.older, e.green],
      [e.t1, e.tEarly, e.t2, e.t3, e.t4],
      [e.rEarly],
      [e.c24, e.c34, e.c13],
    ];
    return { events, batches, early: e.tEarly };
  }

  /** The ledger of a scenario's events: which subscription got which event, at what label. */
  async function ledgerOf(events: Record<string, AnyEvent>): Promise<string[]> {
    const label = new Map(Object.entries(events).map(([name, event]) => [event.id, name]));
    const { rows } = await nut.sql.query<{ event_id: string; name: string; tlp: string; status: string }>(
      `SELECT d.event_id, s.name, e.tlp, d.status FROM notification.delivery d
         JOIN notification.subscription s ON s.id = d.subscription_id JOIN notification.notification_event e ON e.event_id = d.event_id
       WHERE d.event_id = ANY($1::uuid[])`,
      [[...label.keys()]],
    );
    return rows.map((row) => `${label.get(row.event_id)} -> ${row.name} (${row.tlp})`).sort();
  }

  it('a batch ends with the ledger of its events routed one by one: relabel to red, an older update, an event before its report, clusters', async () => {
    const batched = scenario();
    const failedInBatches: RoutableEvent[] = [];
    for (const batch of batched.batches) failedInBatches.push(...(await route(batch)));
    const single = scenario();
    const failedAlone: RoutableEvent[] = [];
    for (const batch of single.batches) failedAlone.push(...(await oneByOne(batch)));
    // Only the event that came before its report failed, in both; it is redelivered after the report.
    expect(failedInBatches.map((e) => e.id)).toEqual([batched.early.id]);
    expect(failedAlone.map((e) => e.id)).toEqual([single.early.id]);
    expect(await route(failedInBatches)).toEqual([]);
    expect(await oneByOne(failedAlone)).toEqual([]);

    const [fromBatches, fromOneByOne] = [await ledgerOf(batched.events), await ledgerOf(single.events)];
    expect(fromBatches).toEqual(fromOneByOne);
    // And what that is, for the cases that could go wrong in a batch:
    // i1 relabelled red: neither the relabel nor the later update in the same batch leaves, nor its cluster.
    expect(fromBatches.filter((row) => /^(red|afterRed|t1|c13) /.test(row))).toEqual([]);
    // The older update of i4 (to clear) does not lower its label: it leaves as amber, with the newer one's category.
    expect(fromBatches.filter((row) => row.startsWith('older '))).toEqual(['older -> amber (amber)', 'older -> ransomware (amber)', 'older -> red-cleared (amber)', 'older -> strict-fulton (amber)']);
    // The early triage event, routed once its report was seen.
    expect(fromBatches.filter((row) => row.startsWith('tEarly '))).toEqual(['tEarly -> amber (amber)', 'tEarly -> high (amber)', 'tEarly -> red-cleared (amber)', 'tEarly -> strict-fulton (amber)']);
    // A cluster: on any of its jurisdictions and categories; strict only to an org that reported all of it.
    expect(fromBatches.filter((row) => row.startsWith('c24 '))).toEqual(['c24 -> amber (amber)', 'c24 -> cobb (amber)', 'c24 -> ransomware (amber)', 'c24 -> red-cleared (amber)', 'c24 -> strict-fulton (amber)']);
    expect(fromBatches.filter((row) => row.startsWith('c34 '))).toEqual(['c34 -> strict-fulton (amber+strict)']);
  });

  it('fails a batch holding an event whose incident is not known yet, naming only that incident, and writes nothing', async () => {
    const known = anIncident();
    const unknown = anIncident();
    await route([reported(known)]);
    const batch = [triaged(known), triaged(unknown)];
    const attempt = inTransaction((manager) => usecase().executeAll(manager, batch.map((event) => ({ event, within: alone }))));
    await expect(attempt).rejects.toThrow(new IncidentNotYetKnown([unknown.id]));
    const { rows } = await nut.sql.query(`SELECT 1 FROM notification.incident WHERE id = $1 OR (id = $2 AND priority IS NOT NULL)`, [unknown.id, known.id]);
    expect(rows).toEqual([]);
    expect(await nut.ledger('event_id = ANY($1::uuid[])', [batch.map((e) => e.id)])).toEqual([]);
  });

  /** Statements `executeAll` sends for `events` in one transaction, and its COMMIT. */
  async function statementsFor(events: RoutableEvent[]): Promise<number> {
    let statements = () => 0;
    await inTransaction(async (manager) => {
      statements = countStatements(manager);
      await usecase().executeAll(manager, events.map((event) => ({ event, within: alone })));
    });
    return statements();
  }

  it('routes a batch in a fixed number of statements, whatever its size', async () => {
    const incidents = (n: number) => Array.from({ length: n }, () => anIncident());
    const [two, sixteen] = [incidents(2), incidents(16)];
    // Reports: the projection's upsert, the subscriptions, the ledger's insert; COMMIT.
    expect(await statementsFor(two.map(reported))).toBe(4);
    expect(await statementsFor(sixteen.map(reported))).toBe(4);
    // Triage's events: the same.
    expect(await statementsFor(two.map((i) => triaged(i)))).toBe(4);
    expect(await statementsFor(sixteen.map((i) => triaged(i)))).toBe(4);
    // Clusters: one read of all their incidents instead of the upsert.
    expect(await statementsFor([correlated(two), correlated(sixteen.slice(0, 2))])).toBe(4);
    expect(await statementsFor(Array.from({ length: 8 }, (_, i) => correlated(sixteen.slice(i, i + 3))))).toBe(4);
    // Every one of them was routed.
    const { rows } = await nut.sql.query<{ n: string }>(`SELECT count(DISTINCT d.event_id) AS n FROM notification.delivery d JOIN notification.notification_event e ON e.event_id = d.event_id WHERE e.incident_id = ANY($1::uuid[])`, [
      [...two, ...sixteen].map((i) => i.id),
    ]);
    expect(Number(rows[0]?.n)).toBe(2 * (2 + 16));
  });
});

describe('notification: an event that fails in a batch fails alone', () => {
  it('routes the rest of the batch and dead-letters only the poison event', async () => {
    // Notification's tables and subscription first (then stopped), so the poison is planted before the backlog arrives.
    const [db, nats] = await Promise.all([createTestDatabase(), useNats()]);
    const first = await startNotification({}, { db, nats });
    await first.subscribe({ role: 'partner', clearance: 'amber', org: 'partner-a' }, { name: 'reports', channel: 'webhook', target: 'https://hooks.example/reports', events: [REPORTED] });
    await first.sql.query(`
      CREATE FUNCTION notification.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.reference = 'WF-2026-999999' THEN RAISE EXCEPTION 'poisoned report'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON notification.incident FOR EACH ROW EXECUTE FUNCTION notification.refuse_poison()`);
    await first.close();

    const good = Array.from({ length: 6 }, () => reported(anIncident()));
    const poison = reported(anIncident({ reference: 'WF-2026-999999' }));
    const nc = await connect({ servers: nats.url });
    try {
      const topology = new Topology(nats.namespace);
      await provisionTopology(await jetstreamManager(nc), topology);
      const publisher = new EventPublisher(jetstream(nc), topology);
      // On the stream before notification starts again: its first pull takes them together, the poison in the middle.
      for (const event of [...good.slice(0, 3), poison, ...good.slice(3)]) await publisher.publish(event);
    } finally {
      await nc.close();
    }

    const nut = await startNotification({}, { db, nats });
    try {
      const dead = await expectEventually(async () => {
        const { rows } = await nut.sql.query<{ event_id: string; error: string }>(`SELECT event_id, error FROM notification.dead_letter`);
        if (rows.length === 0) throw new Error('no dead letter yet');
        return rows;
      }, { timeoutMs: 30_000, intervalMs: 50 });
      expect(dead).toEqual([{ event_id: poison.id, error: expect.stringContaining('poisoned report') }]);
      const ledger = await nut.ledger('event_id = ANY($1::uuid[])', [[...good, poison].map((e) => e.id)]);
      expect(ledger.map((row) => row.event_id).sort()).toEqual(good.map((e) => e.id).sort());
      const { rows } = await nut.sql.query(`SELECT 1 FROM notification.incident WHERE id = $1`, [poison.data.incidentId]);
      expect(rows).toEqual([]);
    } finally {
      await nut.close();
      await nats.cleanup();
      await db.drop();
    }
  });
});
