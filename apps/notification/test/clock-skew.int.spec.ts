import { connectJetStream, EventPublisher, Topology, type JetStreamConnection } from '@watchfloor/messaging';
import { DEV_AUTH_SECRET, signDevToken } from '@watchfloor/platform';
import { aCaller, type ChildService, createTestDatabase, expectEventually, SkewedClock, spawnService, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import pino from 'pino';
import { anIncident, reported } from './events';
import { FAST_DELIVERY_ENV } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

const TEN_MINUTES = 600;
/** The first retry comes after half to all of this (equal jitter). */
const RETRY_BASE_MS = 2_000;

/**
 * A retry falls due by Postgres's clock, the one the sender's claims compare with, not by the
 * wall clock of the process that recorded the failure: a notification process whose clock is
 * off neither holds a retry back by its skew nor retries at once.
 */
describe('notification: retries keep Postgres time, whatever the clock of its process says', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let receiver: WebhookReceiver;
  let connection: JetStreamConnection;
  let clock: SkewedClock;
  let notification: ChildService | undefined;

  beforeEach(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    receiver = await startReceiver();
    connection = await connectJetStream({ servers: nats.url, name: 'clock-skew-test', logger: pino({ level: 'silent' }) });
    clock = SkewedClock.create();
  });
  afterEach(async () => {
    await notification?.stop();
    clock.remove();
    await connection.close();
    await receiver.close();
    await nats.cleanup();
    await db.drop();
  });

  /** A notification process on a clock `seconds` off, a partner answering 500 once then 200; the partner's requests. */
  async function failOnceThenDeliver(seconds: number): Promise<Array<{ at: number; status: number }>> {
    clock.skew(seconds);
    notification = await spawnService(
      'notification',
      { ...FAST_DELIVERY_ENV, ...clock.env, DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, NOTIFICATION_RETRY_BASE_MS: String(RETRY_BASE_MS), LOG_LEVEL: 'warn' },
      { waitFor: 'ready' },
    );
    receiver.respond('/soc', (_request, nth) => ({ status: nth === 1 ? 500 : 200 }));
    const token = await signDevToken(aCaller({ role: 'automation', sub: 'soar' }), DEV_AUTH_SECRET, '1h');
    const subscribed = await fetch(`${notification.url}/v1/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'SOC', channel: 'webhook', target: `${receiver.url}/soc`, events: ['watchfloor.incident.reported.v1'] }),
    });
    expect(subscribed.status).toBe(201);
    await new EventPublisher(connection.js, new Topology(nats.namespace)).publish(reported(anIncident()));
    return expectEventually(
      async () => {
        const requests = receiver.on('/soc').map(({ at, status }) => ({ at, status }));
        expect(requests.map((r) => r.status)).toEqual([500, 200]);
        return requests;
      },
      // Far less than the skew: a retry held back by a clock 10 minutes ahead never comes in time.
      { timeoutMs: 30_000, intervalMs: 50 },
    );
  }

  it('a process 10 minutes ahead retries after the back-off, not 10 minutes later', async () => {
    const [failed, retried] = await failOnceThenDeliver(TEN_MINUTES);
    expect((retried?.at ?? 0) - (failed?.at ?? 0)).toBeGreaterThanOrEqual(RETRY_BASE_MS / 2 - 100);
  });

  it('a process 10 minutes behind waits out the back-off instead of retrying at once', async () => {
    const [failed, retried] = await failOnceThenDeliver(-TEN_MINUTES);
    expect((retried?.at ?? 0) - (failed?.at ?? 0)).toBeGreaterThanOrEqual(RETRY_BASE_MS / 2 - 100);
  });
});
