import type { ServiceApp } from '@watchfloor/messaging';
import { loadConfig } from '@watchfloor/platform';
import {
  apiClient,
  createTestDatabase,
  devToken,
  expectEventually,
  startPostgresServer,
  useNats,
  withClient,
  type ApiRequest,
  type PostgresServer,
  type TestDatabase,
  type TestNats,
} from '@watchfloor/testing';
import { IntakeEnv } from '../src/config';
import { createIntakeApp } from '../src/intake-app';

jest.setTimeout(90_000);

const LIMIT = 60;
const SYNC_MS = 200;
const MINUTE = 60_000;

/**
 * Two replicas of intake on one database share each caller's limit (OWASP API4): each counts
 * in memory and syncs every RATE_LIMIT_SYNC_MS through one statement. They run on a Postgres
 * server of the test's own (with pg_stat_statements, and stopped for the outage), and share one
 * clock that the test moves to the next window instead of waiting for it.
 */
describe('the rate limit shared by two replicas of intake', () => {
  let postgres: PostgresServer;
  let db: TestDatabase;
  let nats: TestNats;
  const replicas: ServiceApp[] = [];
  const requests: ApiRequest[] = [];
  // A second into a minute: the 429s say to retry in 59 s.
  let now = Date.now() - (Date.now() % MINUTE) + 1_000;
  const windowStart = () => now - (now % MINUTE);

  beforeAll(async () => {
    postgres = await startPostgresServer({ preloadLibraries: ['pg_stat_statements'] });
    db = await createTestDatabase('wf_ratelimit', postgres.url);
    await withClient(db.url, (client) => client.query('CREATE EXTENSION pg_stat_statements'));
    nats = await useNats();
    const config = loadConfig(IntakeEnv, {
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      NATS_NAMESPACE: nats.namespace,
      PORT: '0',
      LOG_LEVEL: 'silent',
      RATE_LIMIT_PER_MINUTE: String(LIMIT),
      RATE_LIMIT_SYNC_MS: String(SYNC_MS),
    });
    // One after the other, as a rollout starts them (the second finds the schema migrated).
    for (let i = 0; i < 2; i++) {
      const replica = await createIntakeApp(config, { rateLimitClock: () => now });
      replicas.push(replica);
      requests.push(apiClient(await replica.listen()));
    }
  });

  afterAll(async () => {
    for (const replica of replicas) await replica.close();
    await nats?.cleanup();
    await postgres?.stop();
  });

  const [a, b] = [0, 1].map((i): ApiRequest => (method, path, options) => requests[i](method, path, options));

  async function status(response: Promise<Response>): Promise<number> {
    const answered = await response;
    await answered.arrayBuffer();
    return answered.status;
  }

  /** The caller's requests in the window over every replica, as the shared table holds them. */
  async function sharedCount(key: string, start: number): Promise<number> {
    const rows = await withClient(db.url, (client) =>
      client.query<{ requests: number }>('SELECT requests FROM intake.rate_limit_count WHERE caller_key = $1 AND window_start = to_timestamp($2::bigint / 1000.0)', [key, start]),
    );
    return rows.rows[0]?.requests ?? 0;
  }

  /** Calls until the replica answers 429; that answer, and how many it admitted before (never a 5xx). */
  async function untilRefused(request: ApiRequest, path: string, token: string): Promise<{ admitted: number; refused: Response }> {
    let admitted = 0;
    const refused = await expectEventually(
      async () => {
        const response = await request('GET', path, { token });
        if (response.status === 429) return response;
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
        admitted++;
        throw new Error(`answered ${response.status}`);
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    return { admitted, refused };
  }

  async function expectRateLimited(response: Response, retryAfter: string): Promise<void> {
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    expect(await response.json()).toMatchObject({ status: 429, code: 'REQUEST.RATE_LIMITED' });
  }

  it('refuses a caller once its requests to both replicas add up to the limit, on either, and no other caller', async () => {
    const token = await devToken({ role: 'official', sub: 'spread-caller' });
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push(await status((i % 2 === 0 ? a : b)('GET', '/v1/incidents?limit=1', { token })));
    expect(new Set(statuses)).toEqual(new Set([200]));
    // Both replicas' halves reach the shared count within a sync or two.
    await expectEventually(async () => expect(await sharedCount('sub:spread-caller', windowStart())).toBe(LIMIT));

    for (const request of [a, b]) {
      const { admitted, refused } = await untilRefused(request, '/v1/incidents?limit=1', token);
      // Counting alone, either replica would admit LIMIT / 2 more; sharing, at most what it admits before its next sync.
      expect(admitted).toBeLessThan(LIMIT / 2);
      await expectRateLimited(refused, '59');
    }

    const other = await devToken({ role: 'official', sub: 'calm-caller' });
    expect(await status(a('GET', '/v1/incidents?limit=1', { token: other }))).toBe(200);
    expect(await status(b('GET', '/v1/incidents?limit=1', { token: other }))).toBe(200);
  });

  it('admits the caller again in the next window, and forgets windows before the last one', async () => {
    const token = await devToken({ role: 'official', sub: 'spread-caller' });
    const first = windowStart();
    expect(await sharedCount('sub:spread-caller', first)).toBeGreaterThanOrEqual(LIMIT);

    now += MINUTE;
    expect(await status(a('GET', '/v1/incidents?limit=1', { token }))).toBe(200);
    expect(await status(b('GET', '/v1/incidents?limit=1', { token }))).toBe(200);
    await expectEventually(async () => expect(await sharedCount('sub:spread-caller', windowStart())).toBe(2));
    // The window before the last is still kept (a replica whose clock lags may still count in it).
    expect(await sharedCount('sub:spread-caller', first)).toBeGreaterThanOrEqual(LIMIT);

    now += MINUTE;
    expect(await status(a('GET', '/v1/incidents?limit=1', { token }))).toBe(200);
    await expectEventually(async () => expect(await sharedCount('sub:spread-caller', windowStart())).toBe(1));
    const older = await withClient(db.url, (client) => client.query('SELECT 1 FROM intake.rate_limit_count WHERE window_start < to_timestamp($1::bigint / 1000.0)', [windowStart() - MINUTE]));
    expect(older.rowCount).toBe(0);
  });

  it('syncs with one statement per replica and interval, however many requests and callers', async () => {
    now += MINUTE;
    const callers = 10;
    const perCaller = 20;
    const tokens = await Promise.all(Array.from({ length: callers }, (_, i) => devToken({ role: 'partner', sub: `burst-${i}` })));
    await withClient(db.url, (client) => client.query('SELECT pg_stat_statements_reset()'));
    const started = Date.now();
    // A partner may not list incidents: 403 before any query, so the statements counted are the syncs'.
    const statuses = await Promise.all(
      Array.from({ length: callers * perCaller }, (_, i) => status((i % 2 === 0 ? a : b)('GET', '/v1/incidents', { token: tokens[i % callers] }))),
    );
    expect(new Set(statuses)).toEqual(new Set([403]));
    const burstCounts = () =>
      withClient(db.url, (client) =>
        client.query<{ total: string }>("SELECT coalesce(sum(requests), 0) AS total FROM intake.rate_limit_count WHERE caller_key LIKE 'sub:burst-%' AND window_start = to_timestamp($1::bigint / 1000.0)", [windowStart()]),
      );
    await expectEventually(async () => expect(Number((await burstCounts()).rows[0]?.total)).toBe(callers * perCaller));
    const elapsed = Date.now() - started;

    const syncs = await withClient(db.url, (client) =>
      client.query<{ calls: string }>("SELECT coalesce(sum(calls), 0) AS calls FROM pg_stat_statements WHERE query LIKE '%INSERT INTO%rate_limit_count%'"),
    );
    const statements = Number(syncs.rows[0]?.calls);
    expect(statements).toBeGreaterThanOrEqual(2);
    // At most one per replica per interval that passed (and one under way each), against 200 requests.
    expect(statements).toBeLessThanOrEqual(2 * (Math.ceil(elapsed / SYNC_MS) + 1));
    expect(statements).toBeLessThan(callers * perCaller);
  });

  it('keeps limiting with what each replica counted while Postgres is down, never answering 5xx, and shares those counts once it is back', async () => {
    now += MINUTE;
    const token = await devToken({ role: 'partner', sub: 'outage-caller' });
    const failures = async () => {
      const text = await (await a('GET', '/metrics')).text();
      return Number(/^watchfloor_rate_limit_sync_failures_total(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const failedBefore = await failures();

    await postgres.down();
    try {
      const statuses: number[] = [];
      for (let i = 0; i < LIMIT; i++) statuses.push(await status(a('GET', '/v1/incidents', { token })));
      expect(new Set(statuses)).toEqual(new Set([403]));
      // The syncs fail meanwhile...
      await expectEventually(async () => expect(await failures()).toBeGreaterThan(failedBefore));
      // ...and the replica limits with its own count.
      await expectRateLimited(await a('GET', '/v1/incidents', { token }), '59');
    } finally {
      await postgres.up();
    }

    // What it counted during the outage was kept for the next sync that works...
    await expectEventually(async () => expect(await sharedCount('sub:outage-caller', windowStart())).toBeGreaterThanOrEqual(LIMIT + 1), { timeoutMs: 20_000 });
    // ...so the other replica, never called by this caller, refuses it as soon as it learns the total.
    const { admitted, refused } = await untilRefused(b, '/v1/incidents', token);
    expect(admitted).toBeLessThan(LIMIT / 2);
    await expectRateLimited(refused, '59');
  });
});
