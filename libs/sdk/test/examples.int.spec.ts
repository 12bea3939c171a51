import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  apiClient,
  createTestDatabase,
  devToken,
  expectEventually,
  freePort,
  GEORGIA,
  spawnService,
  useNats,
  type ChildService,
  type TestDatabase,
  type TestNats,
} from '@watchfloor/testing';
import { reportPhishingAlert, type PhishingAlert } from '../examples/submit-with-retries';
import { startTicketBridge, type TicketSystem } from '../examples/consume-stream';
import { startWebhookEndpoint } from '../examples/verify-webhook-receiver';
import { subscribeEvents, WatchfloorApiError, WatchfloorClient, type AnyEvent, type Delivery, type SubscriptionProblem } from '../src';
import { aReportedEvent } from './events';

/** A ticketing system in memory: one ticket per incident, however often it is opened. */
function memoryTickets() {
  const tickets = new Map<string, { reference: string; title: string }>();
  const system: TicketSystem = {
    open: async (incidentId, ticket) => void tickets.set(incidentId, { reference: ticket.reference, title: ticket.title }),
    setPriority: async () => undefined,
  };
  return { tickets, system };
}

function anAlert(): PhishingAlert {
  return {
    caseId: `case-${randomUUID()}`,
    jurisdiction: `${GEORGIA}/county:fulton`,
    lookalikeDomain: 'sos-georgia-verify.com',
    sender: 'elections@sos-georgia-verify.com',
    detectedAt: new Date(Date.now() - 60_000).toISOString(),
  };
}

// The examples of libs/sdk/examples, run as an automation would run them, against intake and
// notification as processes on a database and NATS namespace of this suite's own.
describe('the SDK examples against the stack', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let nc: NatsConnection;
  let intake: ChildService;
  let notification: ChildService;
  let client: WatchfloorClient;
  let webhookPort: number;

  beforeAll(async () => {
    [db, nats, webhookPort] = await Promise.all([createTestDatabase('wf_sdk'), useNats(), freePort()]);
    const env = { DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace };
    [intake, notification] = await Promise.all([
      spawnService('intake', env, { waitFor: 'ready' }),
      spawnService('notification', { ...env, NOTIFICATION_ALLOW_HTTP: 'true', NOTIFICATION_ALLOW_LOOPBACK: 'true', NOTIFICATION_POLL_MS: '50' }, { waitFor: 'ready' }),
    ]);
    nc = await connect({ servers: nats.url });
    const token = await devToken({ role: 'automation', jurisdiction: GEORGIA, sub: 'soar-fulton' });
    client = new WatchfloorClient({ baseUrl: intake.url, token: () => token });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([intake?.stop(), notification?.stop()]);
    await nc?.close();
    await nats?.cleanup();
    await db?.drop();
  });

  it('a SOAR files an alert once; its durable consumer and its verified webhook each get incident.reported', async () => {
    const { tickets, system } = memoryTickets();
    const bridge = await startTicketBridge(system, { servers: nats.url, namespace: nats.namespace });
    const received: AnyEvent[] = [];
    try {
      // The partner subscribes its endpoint and keeps the secret notification shows once.
      const subscribed = await apiClient(notification.url)('POST', '/v1/subscriptions', {
        token: await devToken({ role: 'automation', jurisdiction: GEORGIA, sub: 'soar-fulton' }),
        body: { name: 'SOAR', channel: 'webhook', target: `http://127.0.0.1:${webhookPort}/watchfloor`, events: ['watchfloor.incident.reported.v1'] },
      });
      expect(subscribed.status).toBe(201);
      const { secret } = (await subscribed.json()) as { secret: string };
      const endpoint = await startWebhookEndpoint({ secret, port: webhookPort, onEvent: (event) => void received.push(event) });

      try {
        const alert = anAlert();
        const filed = await reportPhishingAlert(client, alert);
        expect(filed).toMatchObject({ created: true, status: 'received', idempotencyKey: `soar-${alert.caseId}` });
        // The playbook runs again (a replay, a crash before it saved the answer): the same incident,
        // found by its source reference (200, `created: false`), and nothing announced twice.
        await expect(reportPhishingAlert(client, alert)).resolves.toMatchObject({ id: filed.id, reference: filed.reference });

        await expectEventually(() => expect(tickets.get(filed.id)).toEqual({ reference: filed.reference, title: 'Phishing from look-alike domain sos-georgia-verify.com' }), { timeoutMs: 20_000 });
        const webhook = await expectEventually(() => {
          const event = received.find((candidate) => candidate.subject === filed.id);
          if (event?.type !== 'watchfloor.incident.reported.v1') throw new Error(`no webhook for ${filed.id} yet`);
          return event;
        }, { timeoutMs: 20_000 });
        expect(webhook.data).toMatchObject({ incidentId: filed.id, reference: filed.reference, submittedBy: { sub: 'soar-fulton' } });
        expect(webhook.data.submission.source).toEqual({ system: 'soar', reference: alert.caseId });

        // A forged request is refused before anything is handled.
        const forged = await fetch(endpoint.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'webhook-id': 'msg_forged', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
          body: JSON.stringify(webhook),
        });
        expect(forged.status).toBe(401);
        expect(received.filter((event) => event.subject === filed.id)).toHaveLength(1);
      } finally {
        await endpoint.close();
      }

      // Durable: what is reported while the bridge is stopped is delivered once it is back.
      await bridge.stop();
      const whileAway = await reportPhishingAlert(client, anAlert());
      const again = await startTicketBridge(system, { servers: nats.url, namespace: nats.namespace });
      await expectEventually(() => expect(tickets.has(whileAway.id)).toBe(true), { timeoutMs: 20_000 });
      await again.stop();
      expect(again.consumers.map((c) => [c.durable, c.filterSubject])).toEqual([
        ['ticket-bridge--incident-reported-ga', `${nats.namespace}.incident.reported.ga`],
        ['ticket-bridge--incident-triaged-ga', `${nats.namespace}.incident.triaged.ga`],
      ]);
    } finally {
      await bridge.stop();
    }
  });

  it("intake's validation error is thrown at once with the field at fault", async () => {
    const alert = { ...anAlert(), lookalikeDomain: 'not a domain' };
    const error = await reportPhishingAlert(client, alert).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(WatchfloorApiError);
    expect(error).toMatchObject({ status: 400, code: 'REQUEST.VALIDATION', attempts: 1, fields: [expect.objectContaining({ field: 'observables[0].value' })] });
  });

  it('acknowledges after the handler, redelivers after a throw, terminates an invalid event, and stop() waits for the handler', async () => {
    const problems: SubscriptionProblem[] = [];
    const deliveries: Array<{ id: string; delivery: Delivery }> = [];
    let failOnce = true;
    let release: () => void = () => undefined;
    const slowHandlerHeld = new Promise<void>((resolve) => (release = resolve));
    const slowId = randomUUID();
    const subscription = await subscribeEvents({
      connection: nc,
      namespace: nats.namespace,
      durableName: 'behaviours',
      states: ['ga'],
      retryDelaysMs: [50],
      handlers: {
        'watchfloor.incident.reported.v1': async (event, delivery) => {
          deliveries.push({ id: event.data.incidentId, delivery });
          if (event.data.incidentId === slowId) await slowHandlerHeld;
          if (failOnce) {
            failOnce = false;
            throw new Error('ticketing system down');
          }
        },
      },
      onProblem: (problem) => void problems.push(problem),
    });
    try {
      const js = jetstream(nc);
      const subject = `${nats.namespace}.incident.reported.ga`;
      const failing = aReportedEvent(randomUUID());
      await js.publish(subject, JSON.stringify(failing));
      await js.publish(subject, JSON.stringify({ ...aReportedEvent(randomUUID()), data: { incidentId: 'not-a-uuid' } }));

      await expectEventually(() => expect(deliveries.filter((d) => d.id === failing.data.incidentId).map((d) => d.delivery.deliveryCount)).toEqual([1, 2]));
      await expectEventually(() => expect(problems.map((p) => p.kind).sort()).toEqual(['handler-failed', 'invalid']));
      const invalid = problems.find((p) => p.kind === 'invalid');
      expect(invalid).toMatchObject({ consumer: 'behaviours', subject, errors: expect.arrayContaining([expect.objectContaining({ field: 'data.reference' })]) });

      // A handler still running when stop() is called finishes, and its message is acknowledged.
      await js.publish(subject, JSON.stringify(aReportedEvent(slowId)));
      await expectEventually(() => expect(deliveries.some((d) => d.id === slowId)).toBe(true));
      const stopped = subscription.stop();
      release();
      await stopped;
      const jsm = await jetstreamManager(nc);
      const info = await jsm.consumers.info(`${nats.namespace}_INCIDENTS`, 'behaviours');
      expect({ pending: info.num_pending, unacknowledged: info.num_ack_pending, redelivered: info.num_redelivered }).toEqual({ pending: 0, unacknowledged: 0, redelivered: 0 });
      expect(nc.isClosed()).toBe(false);

      // Binding only (an automation whose NATS user may not create consumers): to what exists, or not at all.
      const bound = await subscribeEvents({ connection: nc, namespace: nats.namespace, durableName: 'behaviours', states: ['ga'], createConsumers: false, handlers: { 'watchfloor.incident.reported.v1': () => undefined } });
      await bound.stop();
      await expect(
        subscribeEvents({ connection: nc, namespace: nats.namespace, durableName: 'nobody-made-it', createConsumers: false, handlers: { 'watchfloor.incident.reported.v1': () => undefined } }),
      ).rejects.toThrow(/consumer nobody-made-it .* not found/);
    } finally {
      release();
      await subscription.stop();
    }
  });
});
