import { WatchfloorApiError, WatchfloorClient, WatchfloorNetworkError, type IncidentSubmission, type RetryNotice } from '../src';
import { problem, startScriptedServer, type ScriptedServer } from './scripted-server';

// The scripted server does not read the body; libs/testing's factory would cost this suite seconds of loading.
const SUBMISSION: IncidentSubmission = {
  title: 'E-pollbook outage at two precincts',
  description: 'Check-in tablets lost their connection to the county server.',
  category: 'equipment_malfunction',
  jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
  affectedAssets: ['e_pollbook'],
  impacts: { functionalImpact: 'minimal_critical', informationImpact: 'no_impact', recoverability: 'supplemented' },
  observables: [],
  reporter: { name: 'Dana Clerk' },
};
const aSubmission = (extra: Partial<IncidentSubmission> = {}): IncidentSubmission => ({ ...SUBMISSION, ...extra });

const RECEIPT = { id: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70', reference: 'WF-2026-000001', status: 'received', receivedAt: '2026-11-03T13:05:07.123Z' };

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

// A real HTTP server answers as intake does under trouble; the client's retries are what is tested.
describe('WatchfloorClient retries', () => {
  let server: ScriptedServer;
  let retries: RetryNotice[];
  let client: WatchfloorClient;

  beforeAll(async () => {
    server = await startScriptedServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    retries = [];
    client = new WatchfloorClient({ baseUrl: server.url, token: 'a-token', retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 2_000 }, onRetry: (notice) => retries.push(notice) });
  });

  it('waits out a 503 with Retry-After and sends the same Idempotency-Key again', async () => {
    server.script({ status: 503, headers: { 'retry-after': '1' }, body: problem(503, 'SERVICE.OVERLOADED') }, { status: 201, body: RECEIPT });
    const result = await client.submitIncident(aSubmission());
    expect(result).toEqual({ created: true, ...RECEIPT, idempotencyKey: expect.any(String) });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual([result.idempotencyKey, result.idempotencyKey]);
    expect(new Set(server.requests.map((r) => r.headers['x-correlation-id'])).size).toBe(1);
    expect(retries).toEqual([expect.objectContaining({ attempt: 1, reason: 'unavailable', status: 503, idempotencyKey: result.idempotencyKey })]);
    expect(retries[0]?.delayMs).toBeGreaterThanOrEqual(1_000);
  });

  it('retries a dropped connection, a 429 and a 500 with the key it was given', async () => {
    server.script('drop-connection', { status: 429, headers: { 'retry-after': '0' }, body: problem(429, 'REQUEST.RATE_LIMITED') }, { status: 500, body: problem(500, 'INTERNAL') }, { status: 201, body: RECEIPT });
    const result = await client.submitIncident(aSubmission(), { idempotencyKey: 'fulton-2026-11-03-001' });
    expect(result.idempotencyKey).toBe('fulton-2026-11-03-001');
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(Array(4).fill('fulton-2026-11-03-001'));
    expect(retries.map((r) => r.reason)).toEqual(['network', 'throttled', 'server-error']);
  });

  it('never retries a 422: it throws the problem with the field at fault', async () => {
    server.script({ status: 422, body: problem(422, 'INCIDENT.IDEMPOTENCY_KEY_REUSED', [{ field: 'Idempotency-Key', message: 'Idempotency-Key was used with another body' }] ) });
    const error = await thrown(client.submitIncident(aSubmission(), { idempotencyKey: 'reused' }));
    expect(error).toBeInstanceOf(WatchfloorApiError);
    expect(error).toMatchObject({ status: 422, code: 'INCIDENT.IDEMPOTENCY_KEY_REUSED', fields: [{ field: 'Idempotency-Key' }], attempts: 1, correlationId: 'corr-1' });
    expect(server.requests).toHaveLength(1);
    expect(retries).toEqual([]);
  });

  it('gives up after the last attempt with the last problem', async () => {
    server.script({ status: 502, body: problem(502, 'GATEWAY') });
    const error = await thrown(client.submitIncident(aSubmission()));
    expect(error).toMatchObject({ status: 502, code: 'GATEWAY', attempts: 4 });
    expect(server.requests).toHaveLength(4);
  });

  it('gives up on a server that never answers, with a network error', async () => {
    server.script('drop-connection');
    const error = await thrown(client.getIncident(RECEIPT.id));
    expect(error).toBeInstanceOf(WatchfloorNetworkError);
    expect(error).toMatchObject({ attempts: 4 });
  });

  it('repeats an update only when the request certainly did nothing', async () => {
    server.script({ status: 503, headers: { 'retry-after': '0' }, body: problem(503, 'SERVICE.OVERLOADED') }, { status: 201, body: { updateId: 'u-1' } });
    await expect(client.addUpdate(RECEIPT.id, { note: 'Two more poll workers clicked the link.' })).resolves.toEqual({ updateId: 'u-1' });
    expect(server.requests).toHaveLength(2);

    // A 500 or a lost answer may come after the update was stored: no second note.
    server.script({ status: 500, body: problem(500, 'INTERNAL') }, { status: 201, body: { updateId: 'u-2' } });
    await expect(client.addUpdate(RECEIPT.id, { note: 'Again.' })).rejects.toMatchObject({ status: 500, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('asks a token provider before every attempt', async () => {
    let issued = 0;
    const rotating = new WatchfloorClient({ baseUrl: server.url, token: async () => `token-${++issued}`, retry: { baseDelayMs: 1 } });
    server.script({ status: 503, headers: { 'retry-after': '0' }, body: problem(503, 'SERVICE.UNAVAILABLE') }, { status: 200, body: { ...RECEIPT, status: 'triaged' } });
    const result = await rotating.submitIncident(aSubmission({ source: { system: 'soar', reference: 'case-1' } }));
    expect(result).toMatchObject({ created: false, status: 'triaged' });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
  });
});
