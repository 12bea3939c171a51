import { generateKeyPairSync, randomUUID } from 'node:crypto';
import {
  aSubmission,
  apiClient,
  type ChildService,
  type CollectedSpan,
  createTestDatabase,
  devToken,
  expectEventually,
  FULTON,
  GEORGIA,
  SERVICES,
  type ServiceName,
  spawnService,
  startOtlpCollector,
  startWebhookReceiver,
  type OtlpCollector,
  type TestDatabase,
  type TestNats,
  useNats,
  type WebhookReceiver,
} from '@watchfloor/testing';

const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;

/** What each service needs here beyond the shared settings. */
function serviceEnv(service: ServiceName, signingKey: string): Record<string, string> {
  switch (service) {
    case 'notification':
      return { NOTIFICATION_ALLOW_HTTP: 'true', NOTIFICATION_ALLOW_LOOPBACK: 'true' };
    case 'audit':
      return { AUDIT_SIGNING_KEY: signingKey };
    default:
      return {};
  }
}

/** A log line as JSON; anything else (a line cut between two output chunks) as nothing. */
function parsed(line: string): Record<string, unknown> {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return {};
  }
}

// Issue 14: one incident is one trace, from the official's POST to the partner's webhook,
// across the four services as they run in production (own processes, OTLP export on).
describe('OpenTelemetry: one incident, one trace across the four services', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let collector: OtlpCollector;
  let receiver: WebhookReceiver;
  const services = new Map<ServiceName, ChildService>();
  const intakeLines: string[] = [];

  beforeAll(async () => {
    [db, nats, collector, receiver] = await Promise.all([createTestDatabase('wf_trace'), useNats(), startOtlpCollector(), startWebhookReceiver()]);
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    await Promise.all(SERVICES.map(async (service) => {
      const child = await spawnService(service, {
        DATABASE_URL: db.url,
        NATS_URL: nats.url,
        NATS_NAMESPACE: nats.namespace,
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        // The SDK's own batch delay (5 s by default): spans reach the collector sooner.
        OTEL_BSP_SCHEDULE_DELAY: '100',
        LOG_LEVEL: service === 'intake' ? 'info' : 'warn',
        ...serviceEnv(service, signingKey),
      }, { waitFor: 'ready', startTimeoutMs: 150_000, ...(service === 'intake' ? { onLine: (line: string) => intakeLines.push(line) } : {}) });
      services.set(service, child);
    }));
    // Four services compiling and starting at once on two busy cores.
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...services.values()].map((child) => child.stop()));
    await Promise.all([receiver?.close(), collector?.close()]);
    await nats?.cleanup();
    await db?.drop();
  });

  const urlOf = (service: ServiceName) => services.get(service)?.url ?? '';

  it('links intake, triage, notification and audit, and hands the trace to the partner', async () => {
    const partner = { role: 'partner' as const, sub: 'partner-trace', org: 'fusion-center', clearance: 'amber' as const };
    const subscribed = await apiClient(urlOf('notification'))('POST', '/v1/subscriptions', {
      token: await devToken(partner),
      body: { name: 'fusion center', channel: 'webhook', target: `${receiver.url}/hook`, events: ['watchfloor.incident.reported.v1'] },
    });
    expect(subscribed.status).toBe(201);

    const correlationId = `trace-${randomUUID()}`;
    const submitted = await apiClient(urlOf('intake'))('POST', '/v1/incidents', {
      token: await devToken({ role: 'official', jurisdiction: GEORGIA }),
      headers: { 'x-correlation-id': correlationId },
      body: aSubmission({ jurisdiction: FULTON }),
    });
    expect(submitted.status).toBe(201);

    const spans = () => collector.spans();
    const post = await expectEventually(() => {
      const found = spans().find((span) => span.service === 'intake' && span.attributes['watchfloor.correlation_id'] === correlationId);
      expect(found).toMatchObject({ name: 'POST /v1/incidents', kind: SERVER });
      return found as CollectedSpan;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    const inTrace = (service: ServiceName, name: RegExp) => spans().filter((span) => span.traceId === post.traceId && span.service === service && name.test(span.name));

    // Every service handled the incident.reported event as a child of the official's POST.
    const consumers = await expectEventually(() => {
      const reported = SERVICES.filter((service) => service !== 'intake').map((service) => [service, inTrace(service, /^process .*incident\.reported\./)] as const);
      for (const [service, found] of reported) expect([service, found.map((span) => [span.kind, span.parentSpanId])]).toEqual([service, [[CONSUMER, post.spanId]]]);
      return reported;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    expect(consumers).toHaveLength(3);
    expect(inTrace('intake', /^publish .*incident\.reported\./)).toEqual([expect.objectContaining({ parentSpanId: post.spanId })]);

    // The event triage wrote while handling it continues from triage's consumer span.
    const triaging = inTrace('triage', /^process .*incident\.reported\./)[0];
    await expectEventually(() => {
      expect(inTrace('audit', /^process .*incident\.triaged\./).map((span) => span.parentSpanId)).toEqual([triaging?.spanId]);
    }, { timeoutMs: 30_000, intervalMs: 100 });

    // The partner's webhook: a delivery span under notification's consumer, its context sent along.
    const delivery = await expectEventually(() => {
      const [span] = inTrace('notification', /^deliver webhook$/);
      expect(span).toMatchObject({ kind: CLIENT, attributes: expect.objectContaining({ 'http.response.status_code': 200 }) });
      return span as CollectedSpan;
    }, { timeoutMs: 30_000, intervalMs: 100 });
    const routing = inTrace('notification', /^process /)[0];
    expect(delivery.parentSpanId).toBe(routing?.spanId);
    const [webhookHeaders] = [...receiver.headers.values()];
    expect(webhookHeaders?.['traceparent']).toBe(`00-${post.traceId}-${delivery.spanId}-01`);

    // And audit recorded the delivery outcome in the same trace, under the delivery span.
    await expectEventually(() => {
      expect(inTrace('audit', /^process .*notification\.delivered\./).map((span) => span.parentSpanId)).toEqual([delivery.spanId]);
    }, { timeoutMs: 30_000, intervalMs: 100 });

    // Intake's request log line carries the trace id.
    const requestLine = intakeLines.map(parsed).find((line) => line['msg'] === 'request' && line['correlationId'] === correlationId);
    expect(requestLine?.['traceId']).toBe(post.traceId);
  });
});
