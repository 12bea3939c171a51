import { createTestDatabase, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { anIncident, reported } from './events';
import { eventuallyLedger, startNotification } from './harness';
import { startReceiver, type WebhookReceiver } from './receiver';

describe('notification: a scheduled retry survives a restart', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await nats.cleanup();
    await db.drop();
  });

  it('a delivery that failed before a shutdown is retried by the next process, same webhook-id', async () => {
    receiver.respond('/later', (_request, nth) => ({ status: nth === 1 ? 503 : 200 }));
    // The retry is due 1-2 s after the failure: long enough for the first process to be gone.
    const env = { NOTIFICATION_RETRY_BASE_MS: '2000' };
    const first = await startNotification(env, { db, nats });
    await first.subscribe({ role: 'partner' }, { name: 'later', channel: 'webhook', target: `${receiver.url}/later`, events: ['watchfloor.incident.reported.v1'] });
    const event = reported(anIncident());
    await first.publish(event);
    const [failed] = await eventuallyLedger(first, 'event_id = $1', [event.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['failed']));
    await first.close();
    expect(receiver.on('/later')).toHaveLength(1);

    const second = await startNotification(env, { db, nats });
    try {
      const [delivered] = await eventuallyLedger(second, 'id = $1', [failed?.id], (rows) => expect(rows.map((r) => r.status)).toEqual(['delivered']));
      expect(delivered?.attempts).toBe(2);
      expect(receiver.on('/later').map((r) => [r.status, r.headers['webhook-id']])).toEqual([[503, failed?.id], [200, failed?.id]]);
    } finally {
      await second.close();
    }
  });
});
