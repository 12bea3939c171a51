import { loadConfig } from '@watchfloor/platform';
import { aSubmission, apiClient, createTestDatabase, devToken, startPostgresServer, useNats, type PostgresServer, type TestDatabase, type TestNats } from '@watchfloor/testing';
import type { ServiceApp } from '@watchfloor/messaging';
import { IntakeEnv } from '../src/config';
import { createIntakeApp } from '../src/intake-app';

jest.setTimeout(60_000);

/**
 * Found by the soak: while Postgres restarted, officials got 500 "unexpected error". An
 * outage is not a bug: 503 with Retry-After, so a client (and an official) knows to try
 * again; once the database is back, the same request succeeds. Intake runs on a Postgres
 * server of the test's own, so stopping it touches no other suite.
 */
describe('intake while its database is down', () => {
  let postgres: PostgresServer;
  let db: TestDatabase;
  let nats: TestNats;
  let app: ServiceApp;
  let request: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    postgres = await startPostgresServer();
    db = await createTestDatabase('wf_outage', postgres.url);
    nats = await useNats();
    app = await createIntakeApp(loadConfig(IntakeEnv, { DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, PORT: '0', LOG_LEVEL: process.env.OUTAGE_LOG ?? 'silent' }));
    request = apiClient(await app.listen());
  });
  afterAll(async () => {
    await app?.close();
    await nats?.cleanup();
    await postgres?.stop();
  });

  it('answers 503 SERVICE.UNAVAILABLE with Retry-After, then accepts the same submission once the database is back', async () => {
    const token = await devToken({ role: 'official' });
    const submit = () => request('POST', '/v1/incidents', { token, body: aSubmission(), headers: { 'idempotency-key': 'outage-1' } });

    await postgres.down();
    const refused = await submit();
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.headers.get('retry-after')).toBe('2');
    expect(await refused.json()).toMatchObject({ status: 503, code: 'SERVICE.UNAVAILABLE' });

    await postgres.up();
    const accepted = await submit();
    expect(accepted.status).toBe(201);
  });
});
