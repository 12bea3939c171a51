import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expectEventually, FULTON, GEORGIA } from '@watchfloor/testing';
import { Webhook } from 'standardwebhooks';
import { anIncident, closedWithNote, correlated, relabelled, reported, triaged, type TestIncident } from './events';
import { startNotification, type NotificationUnderTest } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const REPORTED = 'watchfloor.incident.reported.v1';
const TRIAGED = 'watchfloor.incident.triaged.v1';
const COBB = `${GEORGIA}/county:cobb`;

/** Waits until notification's consumer `durable` satisfies `ready` (default: nothing pending or unacknowledged). */
async function consumerState(
  nut: NotificationUnderTest,
  durable: string,
  ready: (info: { num_pending: number; num_ack_pending: number; num_redelivered: number }) => boolean = (info) => info.num_pending === 0 && info.num_ack_pending === 0,
): Promise<void> {
  const nc = await connect({ servers: nut.nats.url });
  try {
    const jsm = await jetstreamManager(nc);
    await expectEventually(async () => {
      const info = await jsm.consumers.info(`${nut.nats.namespace}_INCIDENTS`, durable);
      if (!ready(info)) throw new Error(`consumer not there yet: ${info.num_pending} pending, ${info.num_ack_pending} unacked, ${info.num_redelivered} redelivered`);
    });
  } finally {
    await nc.close();
  }
}

const drained = (nut: NotificationUnderTest, durable: string) => consumerState(nut, durable);

describe('notification: who is told what (matching, TLP, redaction, signatures)', () => {
  let nut: NotificationUnderTest;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    nut = await startNotification();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await nut.close();
    await receiver.close();
  });

  const hook = (path: string, events: string[], filter?: Record<string, unknown>) => ({ name: `hook ${path}`, channel: 'webhook', target: `${receiver.url}${path}`, events, ...(filter ? { filter } : {}) });

  it('matches by type, priority, jurisdiction and category; red never leaves; amber only to cleared; amber+strict only to the reporting org', async () => {
    const partner = { role: 'partner' as const, clearance: 'amber' as const, org: 'partner-a' };
    const secrets = new Map<string, string>();
    const add = async (path: string, claims: Parameters<NotificationUnderTest['subscribe']>[0], events: string[], filter?: Record<string, unknown>) => {
      const { secret } = await nut.subscribe(claims, hook(path, events, filter));
      secrets.set(path, secret ?? '');
    };
    await add('/triaged-only', partner, [TRIAGED]);
    await add('/high', partner, [REPORTED, TRIAGED], { minPriority: 'high' });
    await add('/fulton', partner, [REPORTED], { jurisdictions: [FULTON] });
    await add('/ransomware', partner, [REPORTED], { categories: ['ransomware'] });
    await add('/green', { ...partner, clearance: 'green' }, [REPORTED]);
    await add('/red-cleared', { ...partner, clearance: 'red', org: 'fulton-elections' }, [REPORTED]);
    await add('/strict-other', { ...partner, clearance: 'amber+strict', org: 'other-org' }, [REPORTED]);
    await add('/strict-own', { ...partner, clearance: 'amber+strict', org: 'fulton-elections' }, [REPORTED]);

    const i1 = anIncident();
    const i2 = anIncident({ jurisdiction: COBB, category: 'ransomware', org: 'cobb-elections' });
    const i3 = anIncident({ tlp: 'red' });
    const i4 = anIncident({ tlp: 'amber+strict' });
    const i5 = anIncident({ tlp: 'green' });
    const events = {
      r1: reported(i1), t1: triaged(i1, 'high'), r2: reported(i2), t2: triaged(i2, 'low'),
      r3: reported(i3), r4: reported(i4), r5: reported(i5),
    };
    await nut.publish(events.r1, events.r2, events.r3, events.r4, events.r5, events.t1, events.t2);

    const expected: Record<string, string[]> = {
      '/triaged-only': [events.t1.id, events.t2.id],
      '/high': [events.t1.id],
      '/fulton': [events.r1.id, events.r5.id],
      '/ransomware': [events.r2.id],
      '/green': [events.r5.id],
      '/red-cleared': [events.r1.id, events.r2.id, events.r4.id, events.r5.id],
      '/strict-other': [events.r1.id, events.r2.id, events.r5.id],
      '/strict-own': [events.r1.id, events.r2.id, events.r4.id, events.r5.id],
    };
    const idsOn = (path: string) => receiver.on(path).map((r) => (JSON.parse(r.body) as { id: string }).id).sort();
    await expectEventually(() => {
      for (const [path, ids] of Object.entries(expected)) expect({ path, ids: idsOn(path) }).toEqual({ path, ids: [...ids].sort() });
    }, { timeoutMs: 20_000, intervalMs: 50 });

    // Everything has been routed: nothing more, anywhere, and no ledger row for the red event.
    await drained(nut, 'notification--incident-reported');
    await drained(nut, 'notification--incident-triaged');
    const total = Object.values(expected).reduce((n, ids) => n + ids.length, 0);
    await expectEventually(async () => expect((await nut.ledger("status = 'delivered'")).length).toBe(total));
    expect(await nut.ledger()).toHaveLength(total);
    expect(await nut.ledger('event_id = $1', [events.r3.id])).toEqual([]);
    expect(receiver.received).toHaveLength(total);
    for (const [path, ids] of Object.entries(expected)) expect(idsOn(path)).toEqual([...ids].sort());

    // Every webhook verifies with the subscription's secret (an independent verifier), and its id is the ledger's.
    const ledgerIds = new Set((await nut.ledger()).map((row) => row.id));
    for (const request of receiver.received) {
      const verifier = new Webhook(secrets.get(request.path) ?? '');
      expect(() => verifier.verify(request.body, request.headers as Record<string, string>)).not.toThrow();
      expect(ledgerIds.has(String(request.headers['webhook-id']))).toBe(true);
    }
    // ...and not with another subscription's.
    const [first] = receiver.on('/fulton');
    expect(() => new Webhook(secrets.get('/green') ?? '').verify(first?.body ?? '', (first?.headers ?? {}) as Record<string, string>)).toThrow();

    // The strict event says so in its body.
    const strict = receiver.on('/strict-own').map((r) => JSON.parse(r.body) as { id: string; tlp: string }).find((e) => e.id === events.r4.id);
    expect(strict?.tlp).toBe('amber+strict');
  });

  it('strips the reporter\'s contact details from every notification, keeping the rest of the CloudEvent', async () => {
    const { secret } = await nut.subscribe({ role: 'automation', clearance: 'amber' }, hook('/contacts', [REPORTED]));
    const incident = anIncident();
    const event = reported(incident);
    await nut.publish(event);
    const [request] = await expectEventually(() => {
      const got = receiver.on('/contacts');
      expect(got).toHaveLength(1);
      return got;
    });
    const body = request?.body ?? '';
    expect(body).not.toContain('dana.clerk@fultoncountyga.gov');
    expect(body).not.toContain('+14045550100');
    const sent = new Webhook(secret ?? '').verify(body, request?.headers as Record<string, string>) as typeof event;
    expect(sent.data.submission.reporter).toEqual({ name: 'Dana Clerk', organization: 'Fulton County Elections', title: 'County Clerk' });
    expect(sent).toMatchObject({ specversion: '1.0', id: event.id, type: REPORTED, source: '/watchfloor/intake', subject: incident.id, jurisdiction: FULTON, tlp: 'amber' });
    expect(sent.data.submission.observables).toEqual(event.data.submission.observables);
    expect(request?.headers['content-type']).toBe('application/json');
  });

  it('keeps a status change\'s note on the floor: the partner learns the new status, not what the officer wrote', async () => {
    const STATUS_CHANGED = 'watchfloor.incident.status_changed.v1';
    const { secret } = await nut.subscribe({ role: 'partner', clearance: 'amber' }, hook('/status', [REPORTED, STATUS_CHANGED]));
    const incident = anIncident();
    await nut.publish(reported(incident));
    const change = closedWithNote(incident, 'False alarm: the caller is the clerk\'s former partner; police informed.');
    await nut.publish(change);
    const request = await expectEventually(() => {
      const got = receiver.on('/status').find((r) => (JSON.parse(r.body) as { id: string }).id === change.id);
      if (!got) throw new Error('status change not delivered yet');
      return got;
    });
    expect(request.body).not.toContain('former partner');
    const sent = new Webhook(secret ?? '').verify(request.body, request.headers as Record<string, string>) as typeof change;
    expect(sent.data).toEqual({ incidentId: incident.id, version: 3, from: 'investigating', to: 'closed', by: { kind: 'user', sub: 'officer-1' } });
  });

  it('a redelivered event never creates a second delivery (inbox), and neither does a replay past the inbox (unique ledger)', async () => {
    const { id: subscriptionId } = await nut.subscribe({ role: 'partner' }, hook('/once', [REPORTED]));
    const event = reported(anIncident());
    await nut.publish(event);
    await expectEventually(() => expect(receiver.on('/once')).toHaveLength(1));

    await nut.republish(event);
    await drained(nut, 'notification--incident-reported');
    // A replay past the inbox (its record removed): the handler runs again, the ledger's unique key holds.
    await nut.sql.query(`DELETE FROM notification.inbox WHERE event_id = $1`, [event.id]);
    await nut.republish(event);
    await drained(nut, 'notification--incident-reported');
    await expectEventually(async () => {
      const { rows } = await nut.sql.query(`SELECT 1 FROM notification.inbox WHERE event_id = $1`, [event.id]);
      expect(rows).toHaveLength(1);
    });

    expect(await nut.ledger('event_id = $1 AND subscription_id = $2', [event.id, subscriptionId])).toHaveLength(1);
    expect(receiver.on('/once')).toHaveLength(1);
  });

  it('an event that arrives before its incident was reported waits for the report, then routes', async () => {
    await nut.subscribe({ role: 'partner' }, hook('/early', [TRIAGED]));
    const incident: TestIncident = anIncident();
    const early = triaged(incident, 'severe');
    await nut.publish(early);
    // It has failed at least once (nothing known of the incident) before the report comes.
    await consumerState(nut, 'notification--incident-triaged', (info) => info.num_redelivered > 0);
    expect(await nut.ledger('event_id = $1', [early.id])).toEqual([]);
    await nut.publish(reported(incident));
    await expectEventually(() => expect(receiver.on('/early').map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([early.id]), { timeoutMs: 15_000 });
  });

  it('an incident relabelled red stops leaving, even when a later event still carries the old label', async () => {
    await nut.subscribe({ role: 'partner', clearance: 'red' }, hook('/relabelled', [TRIAGED, 'watchfloor.incident.updated.v1']));
    const incident = anIncident({ tlp: 'amber' });
    const before = triaged(incident, 'high', 1);
    await nut.publish(reported(incident), before);
    await expectEventually(() => expect(receiver.on('/relabelled')).toHaveLength(1));

    const update = relabelled(incident, 'red');
    await nut.publish(update);
    await consumerState(nut, 'notification--incident-updated');
    // Triage had not seen the relabelling yet: its event says amber.
    const stale = triaged(incident, 'severe', 2);
    await nut.publish(stale);
    await consumerState(nut, 'notification--incident-triaged');
    expect(await nut.ledger('event_id = ANY($1::uuid[])', [[update.id, stale.id]])).toEqual([]);
    expect(receiver.on('/relabelled').map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([before.id]);
  });

  it('a cluster matches on any of its jurisdictions and categories, and goes amber+strict only to an org that reported all of it', async () => {
    const CORRELATED = 'watchfloor.incident.correlated.v1';
    const strict = { role: 'partner' as const, clearance: 'amber+strict' as const };
    await nut.subscribe({ ...strict, org: 'fulton-elections' }, hook('/cluster-cobb', [CORRELATED], { jurisdictions: [COBB], categories: ['ransomware'] }));
    await nut.subscribe({ ...strict, org: 'fulton-elections' }, hook('/cluster-wi', [CORRELATED], { jurisdictions: ['ocd-division/country:us/state:wi'] }));
    await nut.subscribe({ ...strict, org: 'fulton-elections' }, hook('/cluster-any', [CORRELATED]));
    const fulton = anIncident();
    const cobb = anIncident({ jurisdiction: COBB, category: 'ransomware', org: 'cobb-elections' });
    const ownOnly = [anIncident({ tlp: 'amber+strict' }), anIncident()];
    await nut.publish(reported(fulton), reported(cobb), ...ownOnly.map(reported));
    const mixed = correlated([fulton, cobb]);
    const mixedStrict = correlated([fulton, cobb], 'amber+strict');
    const own = correlated(ownOnly);
    await nut.publish(mixed, mixedStrict, own);
    await consumerState(nut, 'notification--incident-correlated');
    await expectEventually(() => expect(receiver.on('/cluster-cobb').map((r) => (JSON.parse(r.body) as { id: string }).id)).toEqual([mixed.id]));
    await expectEventually(() => expect(receiver.on('/cluster-any').map((r) => (JSON.parse(r.body) as { id: string; tlp: string }).id).sort()).toEqual([mixed.id, own.id].sort()));
    expect(await nut.ledger('event_id = $1', [mixedStrict.id])).toEqual([]);
    expect(receiver.on('/cluster-wi')).toEqual([]);
    // The cluster with a strict incident leaves as strict.
    expect(receiver.on('/cluster-any').map((r) => JSON.parse(r.body) as { id: string; tlp: string }).find((e) => e.id === own.id)?.tlp).toBe('amber+strict');
  });
});
