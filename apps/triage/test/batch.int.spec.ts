import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { EventOf, Observable } from '@watchfloor/contracts';
import { EventPublisher, provisionTopology, Topology } from '@watchfloor/messaging';
import { countStatements, createTestDatabase, expectEventually, useNats } from '@watchfloor/testing';
import type { EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { TriageNewIncident } from '../src/incidents/triage-incident.usecase';
import { reportedEvent } from './events';
import { startTriage, type TriageUnderTest } from './harness';

type Reported = EventOf<'watchfloor.incident.reported.v1'>;

const county = (name: string) => `ocd-division/country:us/state:ga/county:${name}`;
const alone = <T>(work: () => T): T => work();

/**
 * Triage takes a pull's reports as a batch and writes them with shared statements
 * (`TriageNewIncident.executeAll`). The batch must have exactly the effects its reports
 * have one after the other, and a report that fails must fail alone.
 */
describe('triage: reports handled as a batch', () => {
  let triage: TriageUnderTest;

  beforeAll(async () => {
    triage = await startTriage();
  });
  afterAll(async () => {
    await triage?.close();
  });

  const usecase = () => triage.app.app.get(TriageNewIncident, { strict: false });
  const inTransaction = <T>(work: (manager: EntityManager) => Promise<T>) => triage.app.messagingDataSource.transaction(work);
  const batchOf = (events: Reported[]) => events.map((event) => ({ event, within: alone }));

  /** Reports of a scenario whose observables carry `tag`, so two runs of it never correlate with each other. */
  function scenario(tag: string): Reported[] {
    const lure: Observable = { type: 'domain', value: `${tag}-pollworker-verify.com` };
    const sender: Observable = { type: 'email', value: `verify@${tag}-sos.com` };
    const shell: Observable = { type: 'url', value: `https://${tag}-shell.example/upload.php` };
    // Ids in report order in both runs: members of a campaign are raised in id order.
    const report = (name: string, observables: Observable[], category: 'phishing' | 'website_defacement' = 'phishing') =>
      reportedEvent({ title: `${tag} ${name}`, category, jurisdiction: county(name), phase: 'early_voting', affectedAssets: ['email_office_it'], observables }, { incidentId: uuidv7() });
    const fulton = report('fulton', [{ type: 'domain', value: `${tag}-alone.com` }]);
    return [
      report('cobb', [lure]),
      report('dekalb', [lure]), // shares the lure with cobb, earlier in the same batch: a cluster
      fulton,
      report('gwinnett', [lure, sender]), // the third county: a campaign, cobb and dekalb raised
      report('clayton', [sender], 'website_defacement'), // joins the campaign through the sender only
      report('henry', []),
      report('rockdale', [shell]), // a second cluster...
      report('douglas', [shell]),
      report('cherokee', [lure, shell]), // ...merged into the first (the older) by a report sharing with both
      // The same report as fulton under another event id: nothing more.
      { ...fulton, id: crypto.randomUUID() },
    ];
  }

  /** What a scenario left: its events in outbox order and its incidents, with ids replaced by their report's position. */
  async function outcome(reports: Reported[], tag: string) {
    const label = new Map<string, string>(reports.map((r, i) => [r.data.incidentId, `r${i}`]));
    const { rows: incidents } = await triage.sql.query<{ id: string; version: number; priority: string; computed_priority: string; score: string; adjustments: Array<{ kind: string }>; cluster_id: string | null }>(
      `SELECT id, version, priority, computed_priority, score, adjustments, cluster_id FROM triage.incident WHERE id = ANY($1::uuid[])`, [[...label.keys()]],
    );
    const { rows } = await triage.sql.query<{ payload: string }>(
      // The scenario's incidents' events, and its clusters' (a merged cluster's included).
      `SELECT payload::text AS payload FROM triage.outbox
        WHERE payload::jsonb->>'subject' = ANY($1::text[]) OR payload::jsonb->'data'->'incidentIds' ?| $1::text[] ORDER BY seq`,
      [[...label.keys()]],
    );
    const name = (id: string) => {
      if (!label.has(id)) label.set(id, `c${[...label.values()].filter((l) => l.startsWith('c')).length}`);
      return label.get(id) ?? 'other';
    };
    const events = rows.map(({ payload }) => {
      const event = JSON.parse(payload) as { type: string; subject: string; data: Record<string, unknown> };
      const { data } = event;
      return {
        type: event.type,
        subject: name(event.subject),
        version: data['version'],
        priority: data['priority'] ?? data['to'],
        adjustments: (data['adjustments'] as Array<{ kind: string }> | undefined)?.map((a) => a.kind),
        cluster: typeof data['clusterId'] === 'string' ? name(data['clusterId']) : undefined,
        members: (data['incidentIds'] as string[] | undefined)?.map(name).sort(),
        campaign: data['campaign'],
        shared: (data['sharedObservables'] as Observable[] | undefined)?.map((o) => `${o.type}:${o.value.replace(tag, 'TAG')}`).sort(),
      };
    });
    const byReport = incidents
      .map((i) => ({ report: name(i.id), version: i.version, priority: i.priority, computed: i.computed_priority, score: i.score, adjustments: i.adjustments.map((a) => a.kind), cluster: i.cluster_id ? name(i.cluster_id) : null }))
      .sort((a, b) => a.report.localeCompare(b.report));
    return { events, incidents: byReport };
  }

  it('a batch ends as its reports do one after the other: same-batch reports sharing an observable are correlated, a campaign formed in the batch raises its members, clusters merge', async () => {
    const batched = scenario('batched');
    await inTransaction((manager) => usecase().executeAll(manager, batchOf(batched)));
    const oneByOne = scenario('onebyone');
    for (const report of oneByOne) await inTransaction((manager) => usecase().executeAll(manager, batchOf([report])));

    const [fromBatch, fromOneByOne] = [await outcome(batched, 'batched'), await outcome(oneByOne, 'onebyone')];
    expect(fromBatch).toEqual(fromOneByOne);
    // And what that is: cobb and dekalb linked within the batch, the campaign made by gwinnett, clayton joining it raised,
    // rockdale and douglas a second cluster, merged into the campaign by cherokee (and raised).
    const campaign = ['r0', 'r1', 'r3', 'r4', 'r6', 'r7', 'r8'];
    expect(fromBatch.incidents.filter((i) => i.cluster === 'c0').map((i) => i.report)).toEqual(campaign);
    expect(fromBatch.incidents.filter((i) => i.adjustments.includes('campaign')).map((i) => i.report)).toEqual(campaign);
    expect(fromBatch.events.filter((e) => e.type === 'watchfloor.incident.correlated.v1').map((e) => [e.subject, e.version, e.campaign, e.members])).toEqual([
      ['c0', 1, false, ['r0', 'r1']],
      ['c0', 2, true, ['r0', 'r1', 'r3']],
      ['c0', 3, true, ['r0', 'r1', 'r3', 'r4']],
      ['c1', 1, false, ['r6', 'r7']],
      ['c0', 4, true, campaign],
    ]);
    expect(fromBatch.events.filter((e) => e.type === 'watchfloor.incident.triaged.v1')).toHaveLength(9);
    expect(await triage.sql.query(`SELECT 1 FROM triage.cluster WHERE id NOT IN (SELECT cluster_id FROM triage.incident WHERE cluster_id IS NOT NULL)`)).toMatchObject({ rowCount: 0 });
  });

  /** Statements `executeAll` sends for `reports` in one transaction (its COMMIT and the outbox's INSERT included). */
  async function statementsFor(reports: Reported[]): Promise<number> {
    let statements = () => 0;
    await inTransaction(async (manager) => {
      statements = countStatements(manager);
      await usecase().executeAll(manager, batchOf(reports));
    });
    const { rows } = await triage.sql.query<{ count: string }>(`SELECT count(*) FROM triage.incident WHERE id = ANY($1::uuid[]) AND version >= 1`, [reports.map((r) => r.data.incidentId)]);
    expect(Number(rows[0]?.count)).toBe(reports.length);
    return statements();
  }

  it('writes a batch of reports that correlate with nothing in a fixed number of statements, whatever its size', async () => {
    const solo = (size: number) => Array.from({ length: size }, (_, i) => reportedEvent({ jurisdiction: county(`c${i}`), observables: [{ type: 'domain', value: `solo-${size}-${i}.example.com` }] }));
    const [two, sixteen] = [await statementsFor(solo(2)), await statementsFor(solo(16))];
    // Locks, parked updates, drafts with their timeline, observables indexed and looked up, the rotation, the triage; the outbox and COMMIT.
    expect(sixteen).toBe(two);
    expect(sixteen).toBeLessThanOrEqual(8);
  });

  it('links and triages a report that joins a cluster in four statements of its own', async () => {
    // A cluster of two (same county: no campaign), then reports joining it one per batch and four in one batch.
    const shared: Observable = { type: 'ipv4', value: '203.0.113.77' };
    const joining = () => reportedEvent({ jurisdiction: county('cobb'), observables: [shared] });
    await inTransaction((manager) => usecase().executeAll(manager, batchOf([joining(), joining()])));
    const one = await statementsFor([joining()]);
    const four = await statementsFor([joining(), joining(), joining(), joining()]);
    // Each: the clusters locked, the new members read and locked, the cluster written with its members and timeline, the triage.
    expect(four - one).toBe(3 * 4);
    expect(one).toBeLessThanOrEqual(8 + 4);
  });
});

describe('triage: a report that fails in a batch fails alone', () => {
  /** A second delivery, then the dead letter. */
  const ONE_RETRY = { TRIAGE_CONSUMER_MAX_DELIVER: '2', TRIAGE_CONSUMER_BACKOFF_MS: '100' };

  it('commits the rest of the batch and dead-letters only the failing report', async () => {
    // Triage's tables first (then stopped), so the failure can be planted before the backlog arrives.
    const [db, nats] = await Promise.all([createTestDatabase(), useNats()]);
    const first = await startTriage(ONE_RETRY, { db, nats });
    await first.stopApp();
    await first.sql.query(`
      CREATE FUNCTION triage.refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.title = 'POISON' THEN RAISE EXCEPTION 'poisoned report'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON triage.incident FOR EACH ROW EXECUTE FUNCTION triage.refuse_poison()`);
    await first.close();

    const nc = await connect({ servers: nats.url });
    const topology = new Topology(nats.namespace);
    await provisionTopology(await jetstreamManager(nc), topology);
    const good = Array.from({ length: 6 }, (_, i) => reportedEvent({ jurisdiction: county(`g${i}`), observables: [{ type: 'domain', value: `good-${i}.example.com` }] }));
    const poison = reportedEvent({ title: 'POISON' });
    const publisher = new EventPublisher(jetstream(nc), topology);
    // On the stream before triage starts: its first pull takes them together, the poison in the middle.
    for (const event of [...good.slice(0, 3), poison, ...good.slice(3)]) await publisher.publish(event);
    await nc.close();

    const triage = await startTriage(ONE_RETRY, { db, nats });
    try {
      const dead = await expectEventually(async () => {
        const { rows } = await triage.sql.query<{ event_id: string; error: string }>(`SELECT event_id, error FROM triage.dead_letter`);
        if (rows.length === 0) throw new Error('no dead letter yet');
        return rows;
      }, { timeoutMs: 20_000, intervalMs: 50 });
      expect(dead).toEqual([{ event_id: poison.id, error: expect.stringContaining('poisoned report') }]);
      for (const report of good) {
        const triaged = await triage.eventsAbout(report.data.incidentId, 'watchfloor.incident.triaged.v1');
        expect(triaged).toHaveLength(1);
      }
      await triage.settled(good.length);
      const { rows } = await triage.sql.query<{ incidents: string; handled: string }>(
        `SELECT (SELECT count(*) FROM triage.incident) AS incidents, (SELECT count(*) FROM triage.inbox WHERE event_id = $1) AS handled`, [poison.id],
      );
      expect(rows[0]).toEqual({ incidents: String(good.length), handled: '0' });
    } finally {
      await triage.close();
      await nats.cleanup();
      await db.drop();
    }
  });
});
