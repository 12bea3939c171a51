import { expectEventually, FULTON } from '@watchfloor/testing';
import { Webhook } from 'standardwebhooks';
import { anIncident, reported } from './events';
import { eventuallyLedger, json, startNotification, type NotificationUnderTest } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const REPORTED = 'watchfloor.incident.reported.v1';
const TRIAGED = 'watchfloor.incident.triaged.v1';

interface Created {
  id: string;
  secret: string | null;
  owner: { sub: string; org?: string };
  clearance: string;
  target: string;
  version: number;
}

describe('notification: the subscriptions API', () => {
  let nut: NotificationUnderTest;
  let receiver: WebhookReceiver;
  let partner: string;

  // Plain http is allowed (tests), loopback is not: the deployment default for addresses.
  beforeAll(async () => {
    nut = await startNotification({ NOTIFICATION_ALLOW_LOOPBACK: 'false' });
    receiver = await startReceiver();
    partner = await nut.token({ role: 'partner', sub: 'partner-1', org: 'vendor-co', clearance: 'amber' });
  });
  afterAll(async () => {
    await nut.close();
    await receiver.close();
  });

  const body = (overrides: Record<string, unknown> = {}) => ({
    name: 'Vendor SOAR',
    channel: 'webhook',
    target: 'https://soar.vendor.example/hooks/watchfloor',
    events: [REPORTED, TRIAGED],
    filter: { minPriority: 'medium', jurisdictions: [FULTON], categories: ['phishing'] },
    ...overrides,
  });

  /** What a refused request must not change: subscription rows, outbox rows. */
  async function rowCounts() {
    const { rows } = await nut.sql.query<{ subscriptions: string; outbox: string }>(
      `SELECT (SELECT count(*) FROM notification.subscription) AS subscriptions, (SELECT count(*) FROM notification.outbox) AS outbox`,
    );
    return rows[0];
  }

  it('creates a subscription with the caller\'s clearance and org, shows the secret once and stores it encrypted', async () => {
    const response = await nut.request('POST', '/v1/subscriptions', { token: partner, body: body() });
    expect(response.status).toBe(201);
    const created = await json<Created>(response);
    expect(created).toMatchObject({ owner: { sub: 'partner-1', org: 'vendor-co' }, clearance: 'amber', version: 1, target: 'https://soar.vendor.example/hooks/watchfloor' });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const { rows } = await nut.sql.query<{ secret: string }>(`SELECT secret FROM notification.subscription WHERE id = $1`, [created.id]);
    expect(rows[0]?.secret).toMatch(/^v1\./);
    expect(rows[0]?.secret).not.toContain(created.secret?.slice(6, 20));

    const read = await json<Record<string, unknown>>(nut.request('GET', `/v1/subscriptions/${created.id}`, { token: partner }));
    expect(read).toMatchObject({ id: created.id, filter: { minPriority: 'medium', jurisdictions: [FULTON], categories: ['phishing'] } });
    expect(JSON.stringify(read)).not.toContain('secret":"whsec');

    // subscription.changed, without secret or target.
    await expectEventually(async () => {
      const changed = (await nut.streamMessages('NOTIFICATIONS')).map((m) => m.json<{ type: string; data: Record<string, unknown> }>()).filter((e) => e.data['subscriptionId'] === created.id);
      expect(changed.map((e) => e.data)).toEqual([{ subscriptionId: created.id, action: 'created', by: { kind: 'user', sub: 'partner-1', org: 'vendor-co' }, channel: 'webhook' }]);
      expect(JSON.stringify(changed)).not.toContain('whsec_');
      expect(JSON.stringify(changed)).not.toContain('soar.vendor.example');
    });
  });

  it('lists, reads, changes and deletes only the owner\'s subscriptions (others get 404; admins see all)', async () => {
    const mine = await json<Created>(nut.request('POST', '/v1/subscriptions', { token: partner, body: body({ name: 'mine' }) }));
    const stranger = await nut.token({ role: 'partner', sub: 'partner-2', org: 'other-co' });
    const theirs = await json<Created>(nut.request('POST', '/v1/subscriptions', { token: stranger, body: body({ name: 'theirs' }) }));

    const myList = await json<{ items: Array<{ id: string }>; nextCursor: string | null }>(nut.request('GET', '/v1/subscriptions?limit=200', { token: partner }));
    expect(myList.items.map((s) => s.id)).toContain(mine.id);
    expect(myList.items.map((s) => s.id)).not.toContain(theirs.id);
    expect((await nut.request('GET', `/v1/subscriptions/${theirs.id}`, { token: partner })).status).toBe(404);
    expect((await nut.request('PATCH', `/v1/subscriptions/${theirs.id}`, { token: partner, body: { name: 'x' } })).status).toBe(404);
    expect((await nut.request('DELETE', `/v1/subscriptions/${theirs.id}`, { token: partner })).status).toBe(404);
    expect((await nut.request('POST', `/v1/subscriptions/${theirs.id}/rotate-secret`, { token: partner })).status).toBe(404);

    const admin = await nut.token({ role: 'admin', sub: 'admin-1' });
    const all = await json<{ items: Array<{ id: string }> }>(nut.request('GET', '/v1/subscriptions?limit=200', { token: admin }));
    expect(all.items.map((s) => s.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));

    const patched = await nut.request('PATCH', `/v1/subscriptions/${mine.id}`, { token: partner, body: { name: 'renamed', filter: {} } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ name: 'renamed', filter: {}, version: 2 });

    expect((await nut.request('DELETE', `/v1/subscriptions/${mine.id}`, { token: partner })).status).toBe(204);
    expect((await nut.request('GET', `/v1/subscriptions/${mine.id}`, { token: partner })).status).toBe(404);
  });

  it('pages the list newest first with a cursor', async () => {
    const pager = await nut.token({ role: 'automation', sub: 'pager' });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await json<Created>(nut.request('POST', '/v1/subscriptions', { token: pager, body: body({ name: `n${i}` }) }))).id);
    const first = await json<{ items: Array<{ id: string }>; nextCursor: string }>(nut.request('GET', '/v1/subscriptions?limit=3', { token: pager }));
    const second = await json<{ items: Array<{ id: string }>; nextCursor: string | null }>(nut.request('GET', `/v1/subscriptions?limit=3&cursor=${first.nextCursor}`, { token: pager }));
    expect([...first.items, ...second.items].map((s) => s.id)).toEqual([...ids].reverse());
    expect(second.nextCursor).toBeNull();
    expect((await nut.request('GET', '/v1/subscriptions?cursor=bogus', { token: pager })).status).toBe(400);
  });

  it.each([
    ['a private address', 'https://10.1.2.3/hook', /private/],
    ['a loopback address', 'https://127.0.0.1:8443/hook', /loopback/],
    ['IPv6 loopback', 'https://[::1]/hook', /loopback/],
    ['an IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/hook', /loopback/],
    ['a decimal-encoded loopback', 'https://2130706433/hook', /loopback/],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data', /metadata/],
    ['a link-local address', 'https://[fe80::1]/hook', /linkLocal/],
    ['credentials in the URL', 'https://user:pass@soar.vendor.example/hook', /credentials/],
    ['a non-http scheme', 'file:///etc/passwd', /http/],
  ])('refuses a webhook target with %s: 400 naming target, nothing written', async (_what, target, message) => {
    const before = await rowCounts();
    const response = await nut.request('POST', '/v1/subscriptions', { token: partner, body: body({ target }) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = await json<{ code: string; errors: Array<{ field: string; message: string }> }>(response);
    expect(problem.code).toBe('REQUEST.VALIDATION');
    expect(problem.errors).toEqual([{ field: 'target', message: expect.stringMatching(message) }]);
    expect(await rowCounts()).toEqual(before);
  });

  it('resolves host names at every send: a name that resolves to loopback is refused then, and nothing reaches it', async () => {
    const created = await json<Created>(
      nut.request('POST', '/v1/subscriptions', { token: partner, body: body({ target: `http://localhost:${receiver.port}/rebind`, filter: {}, events: [REPORTED] }) }),
    );
    const event = reported(anIncident());
    await nut.publish(event);
    const [row] = await eventuallyLedger(nut, 'event_id = $1 AND subscription_id = $2', [event.id, created.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['dead']));
    expect(row?.last_error).toMatch(/localhost resolves to .* loopback/);
    expect(row?.attempts).toBe(1);
    expect(receiver.on('/rebind')).toEqual([]);
  });

  it.each([
    ['an unknown field', { ...body(), colour: 'red' }, 'colour'],
    ['an unknown channel', body({ channel: 'sms' }), 'channel'],
    ['an unknown event type', body({ events: ['watchfloor.incident.note_added.v1'] }), 'events'],
    ['no events', body({ events: [] }), 'events'],
    ['a bad minimum priority', body({ filter: { minPriority: 'urgent' } }), 'filter.minPriority'],
    ['a bad jurisdiction', body({ filter: { jurisdictions: ['georgia'] } }), 'filter.jurisdictions'],
    ['a bad category', body({ filter: { categories: ['aliens'] } }), 'filter.categories'],
    ['a bad e-mail target', body({ channel: 'email', target: 'not-an-address' }), 'target'],
    ['a missing name', { ...body(), name: undefined }, 'name'],
  ])('refuses %s with a 400 naming the field, writing nothing', async (_what, payload, field) => {
    const before = await rowCounts();
    const response = await nut.request('POST', '/v1/subscriptions', { token: partner, body: payload });
    expect(response.status).toBe(400);
    const problem = await json<{ errors: Array<{ field: string }> }>(response);
    expect(problem.errors.map((e) => e.field)).toContain(field);
    expect(await rowCounts()).toEqual(before);
  });

  it('refuses a change that changes nothing or breaks a rule, leaving the subscription as it was', async () => {
    const created = await json<Created>(nut.request('POST', '/v1/subscriptions', { token: partner, body: body({ name: 'steady' }) }));
    const before = await rowCounts();
    const attempts: Array<[unknown, string]> = [
      [{}, 'name'],
      [{ target: 'https://192.168.0.10/hook' }, 'target'],
      [{ events: ['watchfloor.audit.checkpoint.v1'] }, 'events'],
      [{ channel: 'email' }, 'channel'],
      [{ filter: { minPriority: 'urgent' } }, 'filter.minPriority'],
    ];
    for (const [change, field] of attempts) {
      const response = await nut.request('PATCH', `/v1/subscriptions/${created.id}`, { token: partner, body: change });
      expect(response.status).toBe(400);
      expect((await json<{ errors: Array<{ field: string }> }>(response)).errors.map((e) => e.field)).toContain(field);
    }
    expect(await rowCounts()).toEqual(before);
    expect(await json(nut.request('GET', `/v1/subscriptions/${created.id}`, { token: partner }))).toMatchObject({ name: 'steady', version: 1, target: created.target });
  });

  it('only admins subscribe for others, never above their own clearance; officials and auditors may not subscribe', async () => {
    expect((await nut.request('POST', '/v1/subscriptions', { token: partner, body: body({ owner: { sub: 'x' } }) })).status).toBe(403);
    const admin = await nut.token({ role: 'admin', sub: 'admin-2', clearance: 'amber' });
    const forOther = await nut.request('POST', '/v1/subscriptions', { token: admin, body: body({ owner: { sub: 'fusion-1', org: 'fusion' }, clearance: 'green' }) });
    expect(forOther.status).toBe(201);
    expect(await forOther.json()).toMatchObject({ owner: { sub: 'fusion-1', org: 'fusion' }, clearance: 'green' });
    expect((await nut.request('POST', '/v1/subscriptions', { token: admin, body: body({ clearance: 'red' }) })).status).toBe(400);
    expect((await nut.request('POST', '/v1/subscriptions', { token: await nut.token({ role: 'official' }), body: body() })).status).toBe(403);
    expect((await nut.request('POST', '/v1/subscriptions', { token: await nut.token({ role: 'auditor' }), body: body() })).status).toBe(403);
    expect((await nut.request('POST', '/v1/subscriptions', { body: body() })).status).toBe(401);
  });

  it('rotating the secret returns a new one once; during the grace period each webhook carries both signatures', async () => {
    // The receiver is on loopback, which this suite's app refuses: a second app, allowing it, sends here.
    const local = await startNotification();
    try {
      const token = await local.token({ role: 'partner', sub: 'rotator' });
      const created = await local.subscribe({ role: 'partner', sub: 'rotator' }, { name: 'rotating', channel: 'webhook', target: `${receiver.url}/rotating`, events: [REPORTED] });
      const rotated = await local.request('POST', `/v1/subscriptions/${created.id}/rotate-secret`, { token });
      expect(rotated.status).toBe(200);
      const answer = await json<{ secret: string; previousSecretExpiresAt: string; version: number }>(rotated);
      expect(answer.secret).toMatch(/^whsec_/);
      expect(answer.secret).not.toBe(created.secret);
      expect(Date.parse(answer.previousSecretExpiresAt)).toBeGreaterThan(Date.now());
      expect(answer.version).toBe(2);

      await local.publish(reported(anIncident()));
      const [request] = await expectEventually(() => {
        const got = receiver.on('/rotating');
        expect(got).toHaveLength(1);
        return got;
      });
      const headers = request?.headers as Record<string, string>;
      expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
      expect(() => new Webhook(answer.secret).verify(request?.body ?? '', headers)).not.toThrow();
      expect(() => new Webhook(created.secret ?? '').verify(request?.body ?? '', headers)).not.toThrow();

      const email = await local.subscribe({ role: 'partner', sub: 'rotator' }, { name: 'mail', channel: 'email', target: 'soc@vendor-co.com', events: [REPORTED] });
      expect(email.secret).toBeNull();
      expect((await local.request('POST', `/v1/subscriptions/${email.id}/rotate-secret`, { token })).status).toBe(409);
    } finally {
      await local.close();
    }
  });

  it('documents the API in OpenAPI, request bodies from the validation rules', async () => {
    const response = await fetch(`${nut.url}/docs/json`);
    expect(response.status).toBe(200);
    const document = await json<{ paths: Record<string, unknown>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>(response);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining([
      '/v1/subscriptions', '/v1/subscriptions/{id}', '/v1/subscriptions/{id}/rotate-secret', '/v1/deliveries', '/v1/deliveries/{id}', '/v1/deliveries/{id}/retry',
    ]));
    expect(Object.keys(document.components.schemas['CreateSubscriptionBody']?.properties ?? {})).toEqual(
      expect.arrayContaining(['name', 'channel', 'target', 'events', 'filter']),
    );
  });
});
