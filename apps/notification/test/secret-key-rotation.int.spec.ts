import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { Webhook } from 'standardwebhooks';
import { RESEAL_BATCH_SIZE, ResealSecrets } from '../src/subscriptions/reseal-secrets';
import { SecretBox, secretKeyId } from '../src/subscriptions/secret-box';
import { anIncident, reported } from './events';
import { eventuallyLedger, json, startNotification, type NotificationUnderTest } from './harness';
import { startReceiver, type ReceivedWebhook, type WebhookReceiver } from './receiver';

const REPORTED = 'watchfloor.incident.reported.v1';
const PARTNER = { role: 'partner' as const, sub: 'partner-rotation' };

const aKey = () => randomBytes(32).toString('base64');
/** Subscriptions written straight into the table, enough for several re-seal batches; they ask for another event type. */
const BULK = 2 * RESEAL_BATCH_SIZE + 10;

describe('notification: rotating NOTIFICATION_SECRET_KEY', () => {
  const keyA = aKey();
  const keyB = aKey();
  let db: TestDatabase;
  let nats: TestNats;
  let receiver: WebhookReceiver;
  /** A subscription with one secret. */
  let plain: { id: string; secret: string };
  /** A subscription whose secret was rotated: both sign during the grace period. */
  let rotated: { id: string; secret: string; previous: string };
  let others: string[];

  const sealedKeyIds = async (nut: NotificationUnderTest) =>
    (await nut.sql.query<{ id: string; secret: string | null; previous: string | null }>(
      `SELECT id, split_part(secret, '.', 2) AS secret, split_part(previous_secret, '.', 2) AS previous FROM notification.subscription ORDER BY id`,
    )).rows;
  const webhooksOn = (path: string, count: number) =>
    expectEventually(() => {
      const got = receiver.on(path);
      expect(got).toHaveLength(count);
      return got;
    });
  const signedWith = (request: ReceivedWebhook | undefined, secret: string) => {
    expect(() => new Webhook(secret).verify(request?.body ?? '', request?.headers as Record<string, string>)).not.toThrow();
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    receiver = await startReceiver();
    const first = await startNotification({ NOTIFICATION_SECRET_KEY: keyA }, { db, nats });
    try {
      const created = await first.subscribe(PARTNER, { name: 'plain', channel: 'webhook', target: `${receiver.url}/plain`, events: [REPORTED] });
      plain = { id: created.id, secret: created.secret ?? '' };
      const toRotate = await first.subscribe(PARTNER, { name: 'rotated', channel: 'webhook', target: `${receiver.url}/rotated`, events: [REPORTED] });
      const answer = await json<{ secret: string }>(first.request('POST', `/v1/subscriptions/${toRotate.id}/rotate-secret`, { token: await first.token(PARTNER) }));
      rotated = { id: toRotate.id, secret: answer.secret, previous: toRotate.secret ?? '' };
      others = [];
      for (let n = 0; n < 4; n++) {
        others.push((await first.subscribe(PARTNER, { name: `other-${n}`, channel: 'webhook', target: `${receiver.url}/other-${n}`, events: [REPORTED] })).id);
      }
      const box = new SecretBox(keyA);
      const bulk = Array.from({ length: BULK }, () => [randomUUID(), box.seal(`whsec_${randomBytes(32).toString('base64')}`)]);
      await first.sql.query(
        `INSERT INTO notification.subscription (id, name, channel, target, events, owner_sub, clearance, secret, created_at, updated_at)
         SELECT id, 'bulk', 'webhook', $3, ARRAY['watchfloor.incident.resolved.v1'], 'partner-bulk', 'amber', secret, now(), now()
           FROM unnest($1::uuid[], $2::text[]) AS b(id, secret)`,
        [bulk.map(([id]) => id), bulk.map(([, secret]) => secret), `${receiver.url}/bulk`],
      );
      const stored = await sealedKeyIds(first);
      expect(stored).toHaveLength(6 + BULK);
      expect(stored.every((row) => row.secret === secretKeyId(keyA))).toBe(true);
      expect(stored.find((row) => row.id === rotated.id)?.previous).toBe(secretKeyId(keyA));
    } finally {
      await first.close();
    }
  });
  afterAll(async () => {
    await receiver.close();
    await nats.cleanup();
    await db.drop();
  });

  it('two replicas started with B and previous A re-seal every secret under B, in batches; webhooks are signed with the same secrets', async () => {
    const env = { NOTIFICATION_SECRET_KEY: keyB, NOTIFICATION_SECRET_KEY_PREVIOUS: keyA };
    const replicas = await Promise.all([startNotification(env, { db, nats }), startNotification(env, { db, nats })]);
    try {
      const [one] = replicas as [NotificationUnderTest, NotificationUnderTest];
      await expectEventually(async () => {
        const stored = await sealedKeyIds(one);
        expect(stored.map((row) => row.secret)).toEqual(stored.map(() => secretKeyId(keyB)));
        expect(stored.find((row) => row.id === rotated.id)?.previous).toBe(secretKeyId(keyB));
      });
      // Between them the replicas re-sealed each row once (the rotated one has two values), in batches; nothing is left.
      const reports = await Promise.all(replicas.map((replica) => replica.service.app.get(ResealSecrets).finished()));
      const total = (field: 'subscriptions' | 'resealed' | 'batches') => reports.reduce((sum, report) => sum + (report?.[field] ?? 0), 0);
      expect(total('subscriptions')).toBe(6 + BULK);
      expect(total('resealed')).toBe(7 + BULK);
      expect(total('batches')).toBeGreaterThanOrEqual(Math.ceil((6 + BULK) / RESEAL_BATCH_SIZE));
      expect(reports.map((report) => report?.remaining.count)).toEqual([0, 0]);
      expect(reports.map((report) => report?.unreadable)).toEqual([[], []]);
      await one.publish(reported(anIncident()));
      const [toPlain] = await webhooksOn('/plain', 1);
      signedWith(toPlain, plain.secret);
      const [toRotated] = await webhooksOn('/rotated', 1);
      signedWith(toRotated, rotated.secret);
      signedWith(toRotated, rotated.previous);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
    }
  });

  it('with B alone (A dropped) webhooks are still signed with the right secrets', async () => {
    const only = await startNotification({ NOTIFICATION_SECRET_KEY: keyB }, { db, nats });
    try {
      await only.publish(reported(anIncident()));
      const toPlain = await webhooksOn('/plain', 2);
      signedWith(toPlain[1], plain.secret);
      const toRotated = await webhooksOn('/rotated', 2);
      signedWith(toRotated[1], rotated.secret);
      signedWith(toRotated[1], rotated.previous);
    } finally {
      await only.close();
    }
  });

  it('a secret sealed under an unknown key fails its deliveries with an error naming the subscription; the sender goes on', async () => {
    const keyC = aKey();
    const victim = others[0] ?? '';
    const nut = await startNotification({ NOTIFICATION_SECRET_KEY: keyB }, { db, nats });
    try {
      // Nothing under another key yet: the start-up check found nothing to report.
      expect((await nut.service.app.get(ResealSecrets).finished())?.remaining.count).toBe(0);
      await nut.sql.query('UPDATE notification.subscription SET secret = $2 WHERE id = $1', [victim, new SecretBox(keyC).seal('whsec_c2VhbGVkIHVuZGVyIGFuIHVua25vd24ga2V5')]);
      const event = reported(anIncident());
      await nut.publish(event);
      const [failed] = await eventuallyLedger(nut, 'event_id = $1 AND subscription_id = $2', [event.id, victim], (rows) => {
        expect(rows.map((row) => row.status)).toEqual([expect.stringMatching(/^(failed|dead)$/)]);
      });
      expect(failed?.last_error).toContain(`the signing secret of subscription ${victim} does not open`);
      expect(failed?.last_error).toContain(`encrypted with key ${secretKeyId(keyC)}, neither the configured key ${secretKeyId(keyB)}`);
      // The other subscriptions of the same event are delivered, and the next event too.
      await eventuallyLedger(nut, 'event_id = $1 AND subscription_id <> $2', [event.id, victim], (rows) => {
        expect(rows.map((row) => row.status)).toEqual(rows.map(() => 'delivered'));
        expect(rows).toHaveLength(5);
      });
      await nut.publish(reported(anIncident()));
      const toPlain = await webhooksOn('/plain', 4);
      signedWith(toPlain[3], plain.secret);
      expect(receiver.on(`/other-0`)).toHaveLength(2);
      // What the start-up check of the next process reports: which subscription, which key.
      expect(await nut.service.app.get(ResealSecrets).run()).toMatchObject({ resealed: 0, remaining: { count: 1, subscriptions: [{ id: victim, keyIds: [secretKeyId(keyC)] }] } });

      // The way back when the key is lost: a new secret, which alone signs (the lost one cannot).
      const answer = await json<{ secret: string; previousSecretExpiresAt: string | null }>(
        nut.request('POST', `/v1/subscriptions/${victim}/rotate-secret`, { token: await nut.token(PARTNER) }),
      );
      expect(answer.previousSecretExpiresAt).toBeNull();
      const next = reported(anIncident());
      await nut.publish(next);
      // Failed deliveries still within their budget may go out too now: look for this event's.
      const toVictim = await expectEventually(() => {
        const got = receiver.on('/other-0').find((request) => request.body.includes(next.id));
        expect(got).toBeDefined();
        return got;
      });
      expect(String(toVictim?.headers['webhook-signature']).split(' ')).toHaveLength(1);
      signedWith(toVictim, answer.secret);
    } finally {
      await nut.close();
    }
  });
});
