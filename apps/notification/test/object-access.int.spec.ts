import { describeObjectAccess, freePort, FULTON, GEORGIA, type CallerClaims } from '@watchfloor/testing';
import { anIncident, reported } from './events';
import { eventuallyLedger, json, startNotification, type NotificationUnderTest } from './harness';

/**
 * Object- and property-level authorization of notification (OWASP API1, API3): a
 * subscription and its deliveries are their owner's (by `sub`) and admins'; to anyone else
 * they do not exist. Owner, organisation and clearance are the caller's, never the body's;
 * an automation subscribes within its jurisdiction. docs/security.md.
 */
const REPORTED = 'watchfloor.incident.reported.v1';
const callers = {
  vendor: { role: 'partner', sub: 'vendor-soar', org: 'vendor-co', clearance: 'amber' },
  vendorColleague: { role: 'partner', sub: 'vendor-analyst', org: 'vendor-co', clearance: 'red' },
  platform: { role: 'partner', sub: 'platform-trust', org: 'platform-co', clearance: 'red' },
  georgiaSoar: { role: 'automation', sub: 'ga-soar', jurisdiction: GEORGIA, clearance: 'amber', org: 'ga-soc' },
  pennsylvaniaSoar: { role: 'automation', sub: 'pa-soar', jurisdiction: 'ocd-division/country:us/state:pa', clearance: 'red', org: 'pa-soc' },
  officer: { role: 'triage', sub: 'officer-1', clearance: 'red', org: 'ops-center' },
  admin: { role: 'admin', sub: 'operator', clearance: 'amber' },
} satisfies Record<string, CallerClaims>;

const SUBSCRIPTION = 'GET /v1/subscriptions/:id';
const PATCH = 'PATCH /v1/subscriptions/:id';
const DELETE = 'DELETE /v1/subscriptions/:id';
const ROTATE = 'POST /v1/subscriptions/:id/rotate-secret';
const DELIVERY = 'GET /v1/deliveries/:id';
const RETRY = 'POST /v1/deliveries/:id/retry';
const OUTSIDERS = ['vendorColleague', 'platform', 'georgiaSoar', 'pennsylvaniaSoar', 'officer'] as const;

describe('notification: object- and property-level authorization', () => {
  let nut: NotificationUnderTest;
  let deadTarget: string;
  const tokenOf = (name: keyof typeof callers) => nut.token(callers[name]);
  const hook = (overrides: Record<string, unknown> = {}) => ({ name: 'SOAR', channel: 'webhook', target: deadTarget, events: [REPORTED], ...overrides });
  /** Subscriptions (versions, secrets, deletion), deliveries and outbox: what a refused request must leave as it was. */
  const state = async () => {
    const [subscriptions, deliveries, outbox] = await Promise.all([
      nut.sql.query('SELECT id, version, name, target, owner_sub, clearance, secret, previous_secret, deleted_at, jurisdictions FROM notification.subscription ORDER BY id'),
      nut.sql.query('SELECT id, status, attempts, next_attempt_at FROM notification.delivery ORDER BY id'),
      nut.sql.query('SELECT count(*)::int AS n FROM notification.outbox'),
    ]);
    return { subscriptions: subscriptions.rows, deliveries: deliveries.rows, outbox: outbox.rows };
  };

  beforeAll(async () => {
    // One attempt, to a port nobody listens on: the delivery is dead at once and stays so until retried.
    nut = await startNotification({ NOTIFICATION_MAX_ATTEMPTS: '1' });
    deadTarget = `http://127.0.0.1:${await freePort()}/hook`;
  });
  afterAll(() => nut?.close());

  describeObjectAccess('notification', {
    callers,
    async setUp() {
      const vendorHook = (await nut.subscribe(callers.vendor, hook())).id;
      const vendorMail = (await nut.subscribe(callers.vendor, { name: 'Desk', channel: 'email', target: 'desk@vendor-co.com', events: [REPORTED] })).id;
      const soarHook = (await nut.subscribe(callers.georgiaSoar, hook())).id;
      await nut.publish(reported(anIncident()));
      const [delivery] = await eventuallyLedger(nut, 'subscription_id = $1', [vendorHook], (rows) => expect(rows.map((r) => r.status)).toEqual(['dead']));
      return { url: nut.url, objects: { vendorHook, vendorMail, soarHook, vendorDelivery: delivery?.id ?? '' }, state, close: async () => undefined };
    },
    bodies: { [PATCH]: { name: 'Renamed' } },
    cases: [
      // Another partner of the same organisation, another organisation, automations of this and another state, triage staff.
      ...OUTSIDERS.flatMap((as) => [
        { route: SUBSCRIPTION, object: 'vendorHook', as, expect: 404 },
        { route: PATCH, object: 'vendorHook', as, expect: 404 },
        { route: DELETE, object: 'vendorHook', as, expect: 404 },
        { route: ROTATE, object: 'vendorHook', as, expect: 404 },
        { route: DELIVERY, object: 'vendorDelivery', as, expect: 404 },
        { route: RETRY, object: 'vendorDelivery', as, expect: 404 },
      ]),
      { route: SUBSCRIPTION, object: 'soarHook', as: 'vendor', expect: 404, because: "an automation's" },
      { route: DELETE, object: 'soarHook', as: 'pennsylvaniaSoar', expect: 404, because: "another state's automation" },

      { route: SUBSCRIPTION, object: 'vendorHook', as: 'vendor', expect: 200 },
      { route: SUBSCRIPTION, object: 'vendorHook', as: 'admin', expect: 200 },
      { route: SUBSCRIPTION, object: 'soarHook', as: 'georgiaSoar', expect: 200 },
      { route: DELIVERY, object: 'vendorDelivery', as: 'vendor', expect: 200 },
      { route: DELIVERY, object: 'vendorDelivery', as: 'admin', expect: 200 },
      { route: PATCH, object: 'vendorHook', as: 'vendor', expect: 200 },
      { route: PATCH, object: 'soarHook', as: 'admin', expect: 200 },
      { route: ROTATE, object: 'vendorHook', as: 'vendor', expect: 200 },
      { route: RETRY, object: 'vendorDelivery', as: 'vendor', expect: 202 },
      { route: DELETE, object: 'vendorMail', as: 'vendor', expect: 204 },
      { route: DELETE, object: 'soarHook', as: 'admin', expect: 204 },
    ],
    notObjects: { 'DELETE /v1/exercises/:exercise': 'an exercise name, purged by admins only (docs/exercises.md)' },
  });

  describe('property level (OWASP API3)', () => {
    type Problem = { code: string; errors?: Array<{ field: string }> };
    let subscription: string;
    beforeAll(async () => {
      subscription = (await nut.subscribe(callers.vendor, hook({ filter: { jurisdictions: [FULTON] } }))).id;
    });
    const create = async (as: keyof typeof callers, body: Record<string, unknown>) => nut.request('POST', '/v1/subscriptions', { token: await tokenOf(as), body });

    it.each([
      ['owner', { owner: { sub: 'vendor-soar-2', org: 'platform-co' } }],
      ['clearance', { clearance: 'red' }],
      ['clearance', { clearance: 'clear' }],
    ])('a subscription naming its %s is refused (403) unless an admin makes it, nothing stored', async (_field, extra) => {
      const before = await state();
      const response = await create('vendor', hook(extra));
      expect({ status: response.status, code: (await json<Problem>(response)).code }).toEqual({ status: 403, code: 'SUBSCRIPTION.OWNER_FORBIDDEN' });
      expect(await state()).toEqual(before);
    });

    it('an admin may not give a subscription more than the admin\'s own clearance (400 naming clearance)', async () => {
      const before = await state();
      const response = await create('admin', hook({ owner: { sub: 'new-partner', org: 'new-co' }, clearance: 'red' }));
      expect(response.status).toBe(400);
      expect((await json<Problem>(response)).errors?.map((e) => e.field)).toEqual(['clearance']);
      expect(await state()).toEqual(before);
    });

    it.each([['id'], ['version'], ['secret'], ['createdAt'], ['org'], ['deletedAt']])('a subscription setting %s is refused with 400 naming it', async (field) => {
      const before = await state();
      const response = await create('vendor', hook({ [field]: field === 'version' ? 9 : 'x' }));
      expect(response.status).toBe(400);
      expect((await json<Problem>(response)).errors?.map((e) => e.field)).toEqual([field]);
      expect(await state()).toEqual(before);
    });

    // Channel, owner, clearance and exercise are fixed when it is made; the rest is the service's.
    it.each([
      ['clearance', 'red'],
      ['owner', { sub: 'platform-trust', org: 'platform-co' }],
      ['channel', 'email'],
      ['exercise', 'tabletop-1'],
      ['version', 1],
      ['secret', 'whsec_chosen'],
      ['id', 'f0f0f0f0-0000-7000-8000-000000000000'],
    ])('a change setting %s is refused with 400 naming it, the subscription unchanged', async (field, value) => {
      const before = await state();
      const response = await nut.request('PATCH', `/v1/subscriptions/${subscription}`, { token: await tokenOf('vendor'), body: { name: 'Renamed', [field]: value } });
      expect(response.status).toBe(400);
      expect((await json<Problem>(response)).errors?.map((e) => e.field)).toEqual([field]);
      expect(await state()).toEqual(before);
    });

    it('an automation subscribes within its jurisdiction: outside it 403, nothing stored; without a filter, its jurisdiction', async () => {
      const before = await state();
      for (const filter of [{ jurisdictions: ['ocd-division/country:us/state:pa'] }, { jurisdictions: [FULTON, 'ocd-division/country:us'] }]) {
        const response = await create('georgiaSoar', hook({ filter }));
        expect({ status: response.status, code: (await json<Problem>(response)).code }).toEqual({ status: 403, code: 'SUBSCRIPTION.JURISDICTION_FORBIDDEN' });
      }
      expect(await state()).toEqual(before);

      const unfiltered = await json<{ id: string; filter: { jurisdictions?: string[] } }>(create('georgiaSoar', hook()));
      expect(unfiltered.filter.jurisdictions).toEqual([GEORGIA]);
      const widened = await nut.request('PATCH', `/v1/subscriptions/${unfiltered.id}`, { token: await tokenOf('georgiaSoar'), body: { filter: {} } });
      expect(await json<{ filter: unknown }>(widened)).toMatchObject({ filter: { jurisdictions: [GEORGIA] } });
      const elsewhere = await nut.request('PATCH', `/v1/subscriptions/${unfiltered.id}`, { token: await tokenOf('georgiaSoar'), body: { filter: { jurisdictions: ['ocd-division/country:us/state:pa'] } } });
      expect(elsewhere.status).toBe(403);
      // Partners read nationwide (up to their clearance): no such bound.
      expect((await create('platform', hook({ filter: { jurisdictions: ['ocd-division/country:us/state:pa'] } }))).status).toBe(201);
    });

    it('never shows a signing secret after it is made, nor another owner\'s subscriptions or deliveries', async () => {
      const got = await (await nut.request('GET', `/v1/subscriptions/${subscription}`, { token: await tokenOf('vendor') })).text();
      const list = await (await nut.request('GET', '/v1/subscriptions', { token: await tokenOf('vendor') })).text();
      for (const body of [got, list]) {
        expect(body).not.toMatch(/whsec_|"secret"|v1\.[A-Za-z0-9_-]{8}\./);
      }
      const theirs = await json<{ items: Array<{ id: string }> }>(nut.request('GET', '/v1/subscriptions', { token: await tokenOf('platform') }));
      expect(theirs.items.map((s) => s.id)).not.toContain(subscription);
      const deliveries = await json<{ items: unknown[] }>(nut.request('GET', `/v1/deliveries?subscriptionId=${subscription}`, { token: await tokenOf('platform') }));
      expect(deliveries.items).toEqual([]);
    });
  });
});
