import { expectEventually } from '@watchfloor/testing';
import { anIncident, reported } from './events';
import { startNotification, type NotificationUnderTest } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const BURST = 100;
// This test is about sharing work, not about giving up: a generous budget and a breaker that
// does not trip, so a machine loaded by other suites cannot turn slow retries into dead ones.
const PATIENT = { NOTIFICATION_MAX_ATTEMPTS: '10', NOTIFICATION_BREAKER_THRESHOLD: '1000', NOTIFICATION_WEBHOOK_TIMEOUT_MS: '15000' };

describe('notification: two replicas share the work, each delivery is sent by one of them', () => {
  let first: NotificationUnderTest;
  let second: NotificationUnderTest;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    first = await startNotification(PATIENT);
    second = await startNotification(PATIENT, { db: first.db, nats: first.nats });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await second.close();
    await first.close();
    await receiver.close();
  });

  it('a burst through both replicas reaches each subscription once per event, failures and retries included', async () => {
    // A third of the deliveries fail their first attempt, so retries (rows due again later) are claimed by either replica.
    const seen = new Set<string>();
    const flaky = (request: { headers: Record<string, unknown> }, nth: number) => {
      const id = String(request.headers['webhook-id']);
      const first = !seen.has(id);
      seen.add(id);
      return { status: first && nth % 3 === 0 ? 503 : 200, delayMs: 5 };
    };
    receiver.respond('/one', flaky);
    receiver.respond('/two', flaky);
    for (const path of ['/one', '/two']) {
      await first.subscribe({ role: 'automation', sub: 'soar' }, { name: path, channel: 'webhook', target: `${receiver.url}${path}`, events: ['watchfloor.incident.reported.v1'] });
    }
    const events = Array.from({ length: BURST }, () => reported(anIncident()));
    await first.publish(...events.slice(0, BURST / 2));
    await second.publish(...events.slice(BURST / 2));

    await expectEventually(async () => expect((await first.ledger("status = 'delivered'")).length).toBe(2 * BURST), { timeoutMs: 60_000, intervalMs: 100 });
    const ledger = await first.ledger();
    expect(ledger).toHaveLength(2 * BURST);
    const succeeded = receiver.received.filter((r) => r.status === 200).map((r) => String(r.headers['webhook-id']));
    expect(succeeded).toHaveLength(2 * BURST);
    expect(new Set(succeeded)).toEqual(new Set(ledger.map((r) => r.id)));
    // Each failed attempt was retried once, under the same id: no attempt was made twice at once.
    const failed = receiver.received.filter((r) => r.status === 503).length;
    expect(receiver.received).toHaveLength(2 * BURST + failed);
    expect(ledger.reduce((n, r) => n + r.attempts, 0)).toBe(2 * BURST + failed);
  });
});
