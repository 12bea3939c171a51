import { expectEventually } from '@watchfloor/testing';
import { Webhook } from 'standardwebhooks';
import { anIncident, reported } from './events';
import { eventuallyLedger, json, startNotification, type NotificationUnderTest } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const REPORTED = 'watchfloor.incident.reported.v1';
const PARTNER = { role: 'partner' as const, sub: 'partner-delivery', org: 'partner-org' };

describe('notification: webhooks are sent once, retried with back-off, and end dead when they must', () => {
  let nut: NotificationUnderTest;
  let receiver: WebhookReceiver;
  let token: string;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    nut = await startNotification();
    token = await nut.token(PARTNER);
  });
  // Each test has its own receiver (its own origin, so its own circuit) and subscriptions, removed after it.
  beforeEach(async () => {
    receiver = await startReceiver();
    const own = receiver;
    cleanups.push(() => own.close());
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await nut.close();
  });

  async function subscribe(name: string, target: string) {
    const subscription = await nut.subscribe(PARTNER, { name, channel: 'webhook', target, events: [REPORTED] });
    cleanups.push(async () => void (await nut.request('DELETE', `/v1/subscriptions/${subscription.id}`, { token })));
    return subscription;
  }

  /** Subscribes `path` to incident.reported and publishes one report; returns the subscription, its secret and the event. */
  async function oneDelivery(path: string) {
    const { id, secret } = await subscribe(path, `${receiver.url}${path}`);
    const event = reported(anIncident());
    await nut.publish(event);
    return { subscriptionId: id, secret: secret ?? '', event };
  }

  it('a receiver answering 500 then 200 gets the same webhook-id twice and exactly one success', async () => {
    receiver.respond('/flaky', (_request, nth) => ({ status: nth === 1 ? 500 : 200 }));
    const { secret, event } = await oneDelivery('/flaky');
    const [row] = await eventuallyLedger(nut, 'event_id = $1', [event.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['delivered']));
    const requests = receiver.on('/flaky');
    expect(requests.map((r) => r.status)).toEqual([500, 200]);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([row?.id]));
    for (const request of requests) expect(() => new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).not.toThrow();
    expect(row).toMatchObject({ attempts: 2, last_http_status: 200 });

    // The ledger's outcome events: one failure (retried), then one delivery.
    await expectEventually(async () => {
      const outcomes = (await nut.streamMessages('NOTIFICATIONS'))
        .map((m) => m.json<{ type: string; data: { deliveryId: string; deadLettered?: boolean; attempts: number; httpStatus?: number } }>())
        .filter((e) => e.data.deliveryId === row?.id);
      expect(outcomes.map((e) => [e.type, e.data.attempts, e.data.deadLettered, e.data.httpStatus])).toEqual([
        ['watchfloor.notification.failed.v1', 1, false, 500],
        ['watchfloor.notification.delivered.v1', 2, undefined, undefined],
      ]);
    });
  });

  it('honours Retry-After on 429', async () => {
    receiver.respond('/busy', (_request, nth) => (nth === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 204 }));
    const { event } = await oneDelivery('/busy');
    await eventuallyLedger(nut, 'event_id = $1', [event.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['delivered']));
    const [first, second] = receiver.on('/busy');
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it('a 4xx other than 429 is dead at once', async () => {
    receiver.respond('/gone', () => ({ status: 410 }));
    const { event } = await oneDelivery('/gone');
    const [row] = await eventuallyLedger(nut, 'event_id = $1', [event.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['dead']));
    expect(row).toMatchObject({ attempts: 1, last_http_status: 410, last_error: 'HTTP 410' });
    expect(receiver.on('/gone')).toHaveLength(1);
  });

  it('a receiver down for longer than the retry budget ends dead, and a retry from the API delivers it with the same webhook-id', async () => {
    let down = true;
    receiver.respond('/down', () => ({ status: down ? 503 : 200 }));
    const { subscriptionId, event } = await oneDelivery('/down');
    const [dead] = await eventuallyLedger(nut, 'event_id = $1', [event.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['dead']));
    expect(dead).toMatchObject({ attempts: 3, last_http_status: 503 });
    expect(receiver.on('/down')).toHaveLength(3);

    // The owner sees it in the log, dead, with its last error.
    const page = await json<{ items: Array<{ id: string; status: string; lastError: string; attempts: number }> }>(
      nut.request('GET', `/v1/deliveries?subscriptionId=${subscriptionId}&status=dead`, { token }),
    );
    expect(page.items).toEqual([expect.objectContaining({ id: dead?.id, status: 'dead', lastError: 'HTTP 503', attempts: 3 })]);

    down = false;
    const retried = await nut.request('POST', `/v1/deliveries/${dead?.id}/retry`, { token });
    expect(retried.status).toBe(202);
    expect(await retried.json()).toMatchObject({ id: dead?.id, status: 'pending' });
    await eventuallyLedger(nut, 'id = $1', [dead?.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['delivered']));
    const requests = receiver.on('/down');
    expect(requests.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([dead?.id]));

    // Delivered is final: another retry is refused and sends nothing.
    const again = await nut.request('POST', `/v1/deliveries/${dead?.id}/retry`, { token });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ code: 'DELIVERY.NOT_RETRYABLE' });
  });

  it('deliveries and retries are the owner\'s business: others get 404', async () => {
    receiver.respond('/private', () => ({ status: 400 }));
    const { event } = await oneDelivery('/private');
    const [row] = await eventuallyLedger(nut, 'event_id = $1', [event.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['dead']));
    const stranger = await nut.token({ role: 'partner', sub: 'someone-else' });
    expect((await nut.request('GET', `/v1/deliveries/${row?.id}`, { token: stranger })).status).toBe(404);
    expect((await nut.request('POST', `/v1/deliveries/${row?.id}/retry`, { token: stranger })).status).toBe(404);
    const list = await json<{ items: unknown[] }>(nut.request('GET', `/v1/deliveries?eventId=${event.id}`, { token: stranger }));
    expect(list.items).toEqual([]);
    const admin = await nut.token({ role: 'admin', sub: 'the-admin' });
    expect((await nut.request('GET', `/v1/deliveries/${row?.id}`, { token: admin })).status).toBe(200);
    expect((await nut.request('GET', '/v1/deliveries?status=lost', { token })).status).toBe(400);
    expect((await nut.request('GET', '/v1/deliveries/not-a-uuid', { token })).status).toBe(404);
  });

  it('a timeout is retried like a 5xx', async () => {
    receiver.respond('/slow', (_request, nth) => ({ status: 200, delayMs: nth === 1 ? 3_000 : 0 }));
    const { event } = await oneDelivery('/slow');
    const [row] = await eventuallyLedger(nut, 'event_id = $1', [event.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['delivered']));
    expect(row?.attempts).toBe(2);
  });

  it('one dead endpoint opens its circuit: its deliveries fail fast while another endpoint gets everything', async () => {
    const other = await startReceiver();
    cleanups.push(() => other.close());
    receiver.respond('/dead-host', () => ({ status: 500 }));
    const deadHost = await subscribe('dead', `${receiver.url}/dead-host`);
    const healthy = await subscribe('healthy', `${other.url}/healthy`);
    const events = Array.from({ length: 20 }, () => reported(anIncident()));
    await nut.publish(...events);

    await eventuallyLedger(nut, 'subscription_id = $1', [healthy.id], (rows) => expect(rows.filter((r) => r.status === 'delivered')).toHaveLength(20));
    const dead = await eventuallyLedger(nut, 'subscription_id = $1', [deadHost.id], (rows) => {
      expect(rows).toHaveLength(20);
      expect(rows.every((r) => r.status === 'dead')).toBe(true);
    }, 30_000);
    const attempts = dead.reduce((n, r) => n + r.attempts, 0);
    // 60 attempts were counted, far fewer reached the dead host: the rest failed fast on the open circuit.
    expect(attempts).toBe(60);
    expect(receiver.on('/dead-host').length).toBeLessThan(30);
    expect(other.on('/healthy')).toHaveLength(20);
    expect(dead.some((r) => r.last_error?.startsWith('circuit open'))).toBe(true);
  });
});
