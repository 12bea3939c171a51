import type { EventOf } from '@watchfloor/contracts';
import { expectEventually } from '@watchfloor/testing';
import { anIncident, reported, triaged } from './events';
import { startNotification, type NotificationUnderTest } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const EXERCISE = 'ga-tabletop-2026-10';
const REPORTED = 'watchfloor.incident.reported.v1';
const TRIAGED = 'watchfloor.incident.triaged.v1';

/** The same events as intake and triage publish them for an exercise incident. */
const drillReported = (event: EventOf<typeof REPORTED>): EventOf<typeof REPORTED> => ({ ...event, exercise: EXERCISE, data: { ...event.data, submission: { ...event.data.submission, exercise: EXERCISE } } });
const drillTriaged = (event: EventOf<typeof TRIAGED>): EventOf<typeof TRIAGED> => ({ ...event, exercise: EXERCISE, data: { ...event.data, exercise: EXERCISE } });

describe('notification: exercise traffic reaches its exercise subscriptions only (docs/exercises.md)', () => {
  let nut: NotificationUnderTest;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    nut = await startNotification();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await nut?.close();
    await receiver?.close();
  });

  it('routes by exercise both ways, marks what it sends, refuses a bad exercise id, and purges with a record', async () => {
    const partner = { role: 'partner' as const, clearance: 'amber' as const, org: 'partner-a' };
    const hook = (path: string, extra: Record<string, unknown> = {}) => ({ name: `hook ${path}`, channel: 'webhook', target: `${receiver.url}${path}`, events: [REPORTED, TRIAGED], ...extra });

    const refused = await nut.request('POST', '/v1/subscriptions', { token: await nut.token(partner), body: hook('/bad', { exercise: 'GA Tabletop' }) });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(((await refused.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['exercise']);
    const written = await nut.sql.query(`SELECT (SELECT count(*) FROM notification.subscription) AS s, (SELECT count(*) FROM notification.outbox) AS o`);
    expect(written.rows[0]).toEqual({ s: '0', o: '0' });

    await nut.subscribe(partner, hook('/real'));
    const drillSubscription = await nut.subscribe(partner, hook('/drill', { exercise: EXERCISE }));

    const realIncident = anIncident();
    const drillIncident = anIncident();
    const real = reported(realIncident);
    const drill = drillReported(reported(drillIncident));
    const drillTriage = drillTriaged(triaged(drillIncident, 'high'));
    await nut.publish(real, drill, drillTriage);

    const idsOn = (path: string) => receiver.on(path).map((r) => (JSON.parse(r.body) as { id: string }).id).sort();
    await expectEventually(() => {
      expect(idsOn('/drill')).toEqual([drill.id, drillTriage.id].sort());
      expect(idsOn('/real')).toEqual([real.id]);
    }, { timeoutMs: 20_000, intervalMs: 50 });
    for (const request of receiver.on('/drill')) {
      expect(JSON.parse(request.body)).toMatchObject({ exercise: EXERCISE });
    }
    expect(JSON.parse(receiver.on('/real')[0]?.body ?? '{}')).not.toHaveProperty('exercise');
    await expectEventually(async () => expect(await nut.ledger("status = 'delivered'")).toHaveLength(3));
    expect(await nut.ledger()).toHaveLength(3);
    const deliveries = await nut.request('GET', `/v1/deliveries?subscriptionId=${drillSubscription.id}`, { token: await nut.token({ role: 'admin' }) });
    expect(((await deliveries.json()) as { items: Array<{ exercise?: string }> }).items.map((d) => d.exercise)).toEqual([EXERCISE, EXERCISE]);

    const admin = await nut.token({ role: 'admin' });
    const purge = await nut.request('DELETE', `/v1/exercises/${EXERCISE}`, { token: admin });
    expect(purge.status).toBe(200);
    expect(await purge.json()).toMatchObject({ exercise: EXERCISE, service: 'notification', removed: { incidents: 1, subscriptions: 1, deliveries: 2 }, incidentIds: [drillIncident.id] });
    const left = await nut.sql.query(
      `SELECT (SELECT count(*) FROM notification.subscription WHERE exercise IS NOT NULL) AS subscriptions,
              (SELECT count(*) FROM notification.delivery) AS deliveries,
              (SELECT count(*) FROM notification.notification_event WHERE exercise IS NOT NULL) AS events,
              (SELECT count(*) FROM notification.incident WHERE exercise IS NOT NULL) AS incidents,
              (SELECT count(*) FROM notification.outbox WHERE type = 'watchfloor.exercise.purged.v1') AS purges`,
    );
    expect(left.rows[0]).toEqual({ subscriptions: '0', deliveries: '1', events: '0', incidents: '0', purges: '1' });
  });
});
