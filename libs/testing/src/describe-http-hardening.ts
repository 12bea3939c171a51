import { randomUUID } from 'node:crypto';
import { devToken } from './api-client';
import { startServiceUnderTest, type CreateApp, type ServiceUnderTest } from './service-under-test';

interface OpenApiParameter {
  name: string;
  in: string;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, unknown> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}
/** A route of the OpenAPI document, its path parameters filled with unknown ids. */
interface Route {
  method: string;
  path: string;
  operation: OpenApiOperation;
}

const BODY_METHODS = ['post', 'put', 'patch'];
/** Above the 200 that API.md allows. */
const TOO_LONG_PAGE = 201;
/** What an error body must never show: stack frames, file paths, SQL, library internals. */
const LEAK = /\bat \S+ \(|\/(?:work|home|usr|src|app)\/|node_modules|\.[jt]s:\d+|\bSELECT\b|\bINSERT\b|\bFROM\b|relation "|syntax error|QueryFailedError|TypeORM|\bpg\b|FST_[A-Z_]+|fastify|class-validator|Unexpected token|JSON at position|RangeError|TypeError|ReferenceError/i;
const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * OWASP API8 (security misconfiguration) and API4 (unrestricted resource consumption) for one
 * service: security headers on every answer (success, error, public), no CORS grant to any
 * origin, error bodies that reveal no internals, page sizes, body size and JSON nesting bounded
 * on every route that takes them. One started service per call; routes come from its OpenAPI
 * document, so a new route is covered without touching the test.
 */
export function describeHttpHardening(service: string, createApp: CreateApp): void {
  describe(`${service}: HTTP hardening (OWASP API8, API4)`, () => {
    let running: ServiceUnderTest;
    let routes: Route[];
    let token: string;

    beforeAll(async () => {
      running = await startServiceUnderTest(createApp);
      const document = (await (await fetch(`${running.url}/docs/json`)).json()) as OpenApiDocument;
      routes = Object.entries(document.paths)
        .filter(([path]) => !path.startsWith('/docs'))
        .flatMap(([path, item]) =>
          Object.entries(item).map(([method, operation]) => ({ method, path: path.replace(/\{\w+\}/g, () => randomUUID()), operation })),
        );
      // The widest caller, so that requests get past authorization to the limits behind it.
      token = await devToken({ roles: ['admin'], jurisdiction: 'ocd-division/country:us', clearance: 'red' });
    });
    afterAll(() => running?.close());

    const call = (method: string, path: string, init: { body?: string; headers?: Record<string, string>; auth?: boolean } = {}) =>
      fetch(`${running.url}${path}`, {
        method,
        headers: {
          ...(init.auth === false ? {} : { authorization: `Bearer ${token}` }),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        ...(init.body === undefined ? {} : { body: init.body }),
      });

    /** Headers that must be on every answer, and those that must not. */
    function headerFaults(what: string, response: Response): string[] {
      const faults = Object.entries(SECURITY_HEADERS)
        .filter(([name, value]) => response.headers.get(name) !== value)
        .map(([name, value]) => `${what}: ${name} is ${response.headers.get(name)}, not ${value}`);
      if (!/frame-ancestors 'none'/.test(response.headers.get('content-security-policy') ?? '')) faults.push(`${what}: no CSP with frame-ancestors 'none'`);
      for (const name of ['x-powered-by', 'server', 'strict-transport-security', 'access-control-allow-origin']) {
        if (response.headers.has(name)) faults.push(`${what}: ${name} sent (${response.headers.get(name)})`);
      }
      return faults;
    }

    it('sends the security headers on every kind of answer, and no CORS grant', async () => {
      const listRoute = routes.find((route) => route.method === 'get' && !route.path.includes('-') && !route.path.endsWith('/events'));
      const answers: Array<[string, Response]> = [
        ['GET /health/live', await call('GET', '/health/live', { auth: false })],
        ['GET /metrics', await call('GET', '/metrics', { auth: false })],
        ['401', await call('GET', listRoute?.path ?? '/v1/none', { auth: false })],
        ['404', await call('GET', '/v1/no-such-route')],
        ['malformed JSON', await call('POST', '/v1/no-such-route', { body: '{' })],
      ];
      if (listRoute) answers.push([`GET ${listRoute.path}`, await call('GET', listRoute.path, { headers: { origin: 'https://evil.example' } })]);
      const faults = answers.flatMap(([what, response]) => headerFaults(what, response));
      for (const [, response] of answers) await response.body?.cancel();
      expect(faults).toEqual([]);
      expect(listRoute).toBeDefined();
    });

    it('serves its API page with a policy that lets only its own scripts run and never in a frame', async () => {
      const page = await call('GET', '/docs', { auth: false });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('swagger');
      const policy = page.headers.get('content-security-policy') ?? '';
      expect(policy).toMatch(/default-src 'self'/);
      expect(policy).toMatch(/frame-ancestors 'none'/);
      expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      expect(page.headers.get('x-frame-options')).toBe('DENY');
    });

    it('grants no other origin anything: a preflight from one gets no allow headers', async () => {
      const faults: string[] = [];
      for (const route of routes) {
        const response = await call('OPTIONS', route.path, {
          auth: false,
          headers: { origin: 'https://evil.example', 'access-control-request-method': route.method.toUpperCase(), 'access-control-request-headers': 'authorization, content-type' },
        });
        await response.body?.cancel();
        const granted = [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
        if (granted.length > 0 || response.status < 400) faults.push(`OPTIONS ${route.path}: ${response.status} ${granted.join(', ')}`);
      }
      expect(faults).toEqual([]);
    });

    it('answers bad requests with problem+json that reveals no internals', async () => {
      const bodyRoute = routes.find((route) => BODY_METHODS.includes(route.method));
      const listRoute = routes.find((route) => route.operation.parameters?.some((p) => p.name === 'limit'));
      const list = listRoute?.path ?? '/v1/x';
      const tries: Array<[string, () => Promise<Response>]> = [
        ['a 404', () => call('GET', '/v1/no-such-route')],
        ['a 405 (a method the path has not)', () => call('PUT', '/health/live')],
        ['a malformed id', () => call('GET', `${list}/%27%3B%20DROP%20TABLE%20x%3B--`)],
        ['a huge page size', () => call('GET', `${list}?limit=1e400`)],
        ['a cursor that is not one', () => call('GET', `${list}?cursor=${encodeURIComponent("'; SELECT pg_sleep(1); --")}`)],
      ];
      if (bodyRoute) {
        const send = (body: string, headers: Record<string, string> = {}) => () => call(bodyRoute.method.toUpperCase(), bodyRoute.path, { body, headers });
        tries.push(
          ['a huge number in a body', send('{"limit": 1e400, "n": 123456789012345678901234567890}')],
          ['malformed JSON', send('{"title": "unterminated')],
          ['a body that is not JSON', send('<xml/>', { 'content-type': 'application/xml' })],
          ['a prototype-poisoning body', send('{"__proto__": {"roles": ["admin"]}}')],
        );
      }
      const faults: string[] = [];
      for (const [what, send] of tries) {
        const response = await send();
        const text = await response.text();
        const type = response.headers.get('content-type') ?? '';
        if (response.status < 400 || response.status >= 500) faults.push(`${what}: status ${response.status}`);
        if (!type.startsWith('application/problem+json')) faults.push(`${what}: content-type ${type}`);
        const leak = LEAK.exec(text);
        if (leak) faults.push(`${what}: reveals "${leak[0]}" in ${text.slice(0, 300)}`);
      }
      expect(faults).toEqual([]);
      expect(listRoute).toBeDefined();
    });

    it(`refuses a page size above 200 on every list with 400 naming limit, and takes 200`, async () => {
      const lists = routes.filter((route) => route.method === 'get' && route.operation.parameters?.some((p) => p.name === 'limit' && p.in === 'query'));
      const faults: string[] = [];
      for (const route of lists) {
        const tooLong = await call('GET', `${route.path}?limit=${TOO_LONG_PAGE}`);
        const problem = (await tooLong.json()) as { errors?: Array<{ field: string }> };
        if (tooLong.status !== 400 || !problem.errors?.some((e) => e.field === 'limit')) faults.push(`${route.path}?limit=${TOO_LONG_PAGE}: ${tooLong.status}`);
        const longest = await call('GET', `${route.path}?limit=200`);
        await longest.body?.cancel();
        if (longest.status === 400 || longest.status >= 500) faults.push(`${route.path}?limit=200: ${longest.status}`);
      }
      expect(lists.length).toBeGreaterThan(0);
      expect(faults).toEqual([]);
    });

    it('refuses a body over the limit with 413 and deeply nested JSON with 400, on every route that takes a body, and stays up', async () => {
      const withBody = routes.filter((route) => BODY_METHODS.includes(route.method) && route.operation.requestBody);
      // A read-only service (audit) still parses a body sent to it: try its first route.
      const bodyRoutes = withBody.length > 0 ? withBody : routes.slice(0, 1).map((route) => ({ ...route, method: 'post' }));
      const oversized = JSON.stringify({ note: 'x'.repeat(300 * 1024) });
      const nested = `{"note":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
      const faults: string[] = [];
      for (const route of bodyRoutes) {
        const method = route.method.toUpperCase();
        for (const [body, status, code] of [[oversized, 413, 'REQUEST.TOO_LARGE'], [nested, 400, 'REQUEST.TOO_DEEP']] as const) {
          const response = await call(method, route.path, { body });
          const text = await response.text();
          const problem = JSON.parse(text) as { code?: string };
          if (response.status !== status || problem.code !== code || !response.headers.get('content-type')?.startsWith('application/problem+json')) {
            faults.push(`${method} ${route.path}: ${response.status} ${text.slice(0, 200)} (wanted ${status} ${code})`);
          }
        }
      }
      expect(faults).toEqual([]);
      expect((await call('GET', '/health/live', { auth: false })).status).toBe(200);
    });
  });
}
