import { Writable } from 'node:stream';
import type { Role } from '@watchfloor/contracts';
import { BaseEnv, createHttpApp, createLogger, type HttpApp, loadConfig, PROBLEM_CONTENT_TYPE, signDevToken } from '../src';
import { fakeDatabase, TestAppModule } from './test-app';

const JURISDICTION = 'ocd-division/country:us/state:ga';
const RATE_LIMIT = 30;

const config = loadConfig(BaseEnv, {
  NODE_ENV: 'test',
  PORT: '0',
  RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
  BODY_LIMIT_BYTES: '4096',
});

const logLines: Record<string, unknown>[] = [];
const logSink = new Writable({
  write(chunk: Buffer, _encoding, callback) {
    for (const line of chunk.toString().split('\n').filter(Boolean)) logLines.push(JSON.parse(line) as Record<string, unknown>);
    callback();
  },
});

let http: HttpApp;
let baseUrl: string;

function token(sub: string, roles: Role[] = ['official'], ttl: string | number = '5m', secret = config.AUTH_DEV_SECRET) {
  return signDevToken({ sub, roles, jurisdiction: JURISDICTION }, secret, ttl);
}

async function post(path: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}${path}`, { method: 'POST', body, headers });
}

async function expectProblem(response: Response, status: number, code: string): Promise<Record<string, unknown>> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')?.split(';')[0]).toBe(PROBLEM_CONTENT_TYPE);
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `urn:watchfloor:problem:${code}` });
  expect(typeof body['title']).toBe('string');
  expect(typeof body['detail']).toBe('string');
  expect(body['correlationId']).toBe(response.headers.get('x-correlation-id'));
  return body;
}

const validBody = JSON.stringify({ title: 'Phishing', observables: [{ type: 'domain', value: 'evil.example' }] });

beforeAll(async () => {
  const logger = createLogger({ service: 'platform-test', level: 'info', destination: logSink });
  // Windows are aligned to the clock: one that stood still keeps the rate-limit test inside one.
  const midWindow = Date.now() - (Date.now() % 60_000) + 30_000;
  http = await createHttpApp(TestAppModule, { service: 'platform-test', config, logger, rateLimit: { clock: () => midWindow } });
  baseUrl = await http.listen();
});

afterAll(async () => {
  await http?.close();
});

describe('authentication', () => {
  it('answers 401 without a token', async () => {
    const response = await post('/v1/things', validBody, { 'content-type': 'application/json' });
    await expectProblem(response, 401, 'AUTH.UNAUTHENTICATED');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 for a token signed with another secret', async () => {
    const forged = await token('mallory', ['official'], '5m', 'another-secret-that-is-at-least-32-chars');
    const response = await post('/v1/things', validBody, { 'content-type': 'application/json', authorization: `Bearer ${forged}` });
    await expectProblem(response, 401, 'AUTH.UNAUTHENTICATED');
  });

  it('answers 401 for an expired token', async () => {
    const expired = await token('late', ['official'], -60);
    const response = await post('/v1/things', validBody, { 'content-type': 'application/json', authorization: `Bearer ${expired}` });
    const body = await expectProblem(response, 401, 'AUTH.UNAUTHENTICATED');
    expect(body['detail']).toMatch(/expired/);
  });

  it('answers 401 for a malformed Authorization header', async () => {
    const response = await post('/v1/things', validBody, { 'content-type': 'application/json', authorization: 'Basic dXNlcjpwYXNz' });
    await expectProblem(response, 401, 'AUTH.UNAUTHENTICATED');
  });

  it('answers 403 for a caller without the role', async () => {
    const partner = await token('partner-1', ['partner']);
    const response = await post('/v1/things', validBody, { 'content-type': 'application/json', authorization: `Bearer ${partner}` });
    await expectProblem(response, 403, 'AUTH.FORBIDDEN');
  });

  it('accepts a valid token and hands the caller and correlation id to the handler', async () => {
    const official = await token('clerk-1');
    const response = await post('/v1/things', validBody, {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${official}`,
      'x-correlation-id': 'corr-123',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-correlation-id')).toBe('corr-123');
    await expect(response.json()).resolves.toEqual({ title: 'Phishing', count: 1, sub: 'clerk-1', correlationId: 'corr-123' });
  });
});

describe('request bodies', () => {
  let official: string;
  beforeAll(async () => {
    official = await token('body-tester');
  });

  it('answers 400 naming a nested field and an unknown field', async () => {
    const body = JSON.stringify({ title: 'x', observables: [{ type: 'domain', value: 'ok' }, { type: 'bogus', value: 'v' }], extra: 1 });
    const response = await post('/v1/things', body, { 'content-type': 'application/json', authorization: `Bearer ${official}` });
    const problem = await expectProblem(response, 400, 'REQUEST.VALIDATION');
    const fields = (problem['errors'] as { field: string; message: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['observables[1].type', 'extra']));
  });

  it('validates a POST without a body as an empty object', async () => {
    const response = await fetch(`${baseUrl}/v1/things`, { method: 'POST', headers: { authorization: `Bearer ${official}` } });
    const problem = await expectProblem(response, 400, 'REQUEST.VALIDATION');
    const fields = (problem['errors'] as { field: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'observables']));
  });

  it('answers 400 REQUEST.MALFORMED_JSON for broken JSON', async () => {
    const response = await post('/v1/things', '{"title": ', { 'content-type': 'application/json', authorization: `Bearer ${official}` });
    await expectProblem(response, 400, 'REQUEST.MALFORMED_JSON');
  });

  it('answers 415 for text/plain', async () => {
    const response = await post('/v1/things', validBody, { 'content-type': 'text/plain', authorization: `Bearer ${official}` });
    await expectProblem(response, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 415 for a body without Content-Type', async () => {
    const response = await fetch(`${baseUrl}/v1/things`, {
      method: 'POST',
      body: new Blob([validBody]),
      headers: { authorization: `Bearer ${official}` },
    });
    await expectProblem(response, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 413 for a body over the limit', async () => {
    const body = JSON.stringify({ title: 'x'.repeat(5000), observables: [] });
    const response = await post('/v1/things', body, { 'content-type': 'application/json', authorization: `Bearer ${official}` });
    await expectProblem(response, 413, 'REQUEST.TOO_LARGE');
  });
});

describe('errors', () => {
  let official: string;
  beforeAll(async () => {
    official = await token('error-tester');
  });

  it('maps a DomainError to its status and code', async () => {
    const response = await fetch(`${baseUrl}/v1/things/missing`, { headers: { authorization: `Bearer ${official}` } });
    await expectProblem(response, 404, 'THING.NOT_FOUND');
  });

  it('answers 404 for an unknown route', async () => {
    const response = await fetch(`${baseUrl}/nowhere`);
    await expectProblem(response, 404, 'REQUEST.ROUTE_NOT_FOUND');
  });

  it('answers 500 INTERNAL without revealing the error, and logs it', async () => {
    const response = await fetch(`${baseUrl}/v1/things/boom`, { headers: { authorization: `Bearer ${official}` } });
    const body = await expectProblem(response, 500, 'INTERNAL');
    expect(JSON.stringify(body)).not.toMatch(/secret internals|app\.ts/);
    const logged = logLines.find((line) => line['correlationId'] === body['correlationId'] && line['msg'] === 'request failed');
    expect(logged).toBeDefined();
  });

  it('makes a correlation id when none (or an unusable one) is sent', async () => {
    const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const none = await fetch(`${baseUrl}/health/live`);
    expect(none.headers.get('x-correlation-id')).toMatch(uuidV7);
    const unusable = await fetch(`${baseUrl}/health/live`, { headers: { 'x-correlation-id': '{"forged": "log line"}' } });
    expect(unusable.headers.get('x-correlation-id')).toMatch(uuidV7);
    await Promise.all([none.arrayBuffer(), unusable.arrayBuffer()]);
  });
});

describe('request log', () => {
  it('logs one line per request with correlation id and sub, and redacts the token', async () => {
    const official = await token('logged-caller');
    const response = await fetch(`${baseUrl}/v1/things/abc`, {
      headers: { authorization: `Bearer ${official}`, 'x-correlation-id': 'log-check-1' },
    });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    const line = await waitFor(() => logLines.find((l) => l['correlationId'] === 'log-check-1' && l['msg'] === 'request'));
    expect(line).toMatchObject({ sub: 'logged-caller', status: 200, route: '/v1/things/:id', service: 'platform-test' });
    expect(JSON.stringify(logLines)).not.toContain(official);
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once a caller exceeds the limit', async () => {
    const caller = await token('busy-automation', ['automation']);
    const statuses: number[] = [];
    for (let i = 0; i < RATE_LIMIT; i++) {
      const response = await fetch(`${baseUrl}/v1/things/x${i}`, { headers: { authorization: `Bearer ${caller}` } });
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    expect(statuses.every((s) => s === 200)).toBe(true);
    const limited = await fetch(`${baseUrl}/v1/things/one-more`, { headers: { authorization: `Bearer ${caller}` } });
    await expectProblem(limited, 429, 'REQUEST.RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    // Another caller has its own budget.
    const other = await token('calm-official');
    const response = await fetch(`${baseUrl}/v1/things/fine`, { headers: { authorization: `Bearer ${other}` } });
    expect(response.status).toBe(200);
  });

  it('never limits the probes', async () => {
    const statuses = await Promise.all(
      Array.from({ length: RATE_LIMIT + 5 }, async () => {
        const response = await fetch(`${baseUrl}/health/live`);
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});

describe('health, metrics and docs', () => {
  it('is live', async () => {
    const response = await fetch(`${baseUrl}/health/live`);
    expect(response.status).toBe(200);
    await expect(response.json()).resolves.toEqual({ status: 'ok' });
  });

  it('is ready only while every check passes', async () => {
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    await expect(ready.json()).resolves.toEqual({ status: 'ok', checks: { db: 'ok' } });

    fakeDatabase.up = false;
    try {
      const notReady = await fetch(`${baseUrl}/health/ready`);
      expect(notReady.status).toBe(503);
      await expect(notReady.json()).resolves.toEqual({ status: 'unavailable', checks: { db: 'failed' } });
    } finally {
      fakeDatabase.up = true;
    }
  });

  it('serves Prometheus metrics with the HTTP request series', async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^http_requests_total\{.*route="\/v1\/things\/:id".*\} \d+/m);
    expect(text).toContain('http_request_duration_seconds_bucket');
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('serves the OpenAPI document with the bearer scheme', async () => {
    const response = await fetch(`${baseUrl}/docs/json`);
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      security: unknown;
      paths: Record<string, Record<string, { security?: unknown }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/things', '/health/ready', '/metrics']));
    expect(document.components.securitySchemes['bearer']).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.security).toEqual([{ bearer: [] }]);
    // Probes are public, and the document says so.
    expect(document.paths['/health/ready']?.['get']?.security).toEqual([]);
    expect(document.paths['/v1/things']?.['post']?.security).toBeUndefined();
  });

  it('serves the Swagger UI', async () => {
    const response = await fetch(`${baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    await response.arrayBuffer();
  });
});

// The request line is written in onResponse, after the client may already have the body.
async function waitFor<T>(find: () => T | undefined, timeoutMs = 2_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('not found in time');
    await new Promise((resolve) => setImmediate(resolve));
  }
}
