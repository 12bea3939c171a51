import { connectJetStream, EventPublisher, Topology, type TypedEvent } from '@watchfloor/messaging';
import { DEV_AUTH_SECRET, loadConfig, signDevToken } from '@watchfloor/platform';
import { aCaller, createTestDatabase, expectEventually, startPrivateNats } from '@watchfloor/testing';
import { Client } from 'pg';
import pino from 'pino';
import { createAuditApp } from '../src/audit-app';
import { AuditEnv } from '../src/config';
import { aSigningKeyPem, json } from './harness';
import { anIncidentFlow } from './incident-flow';

describe('audit across a NATS restart', () => {
  it('keeps recording once NATS is back, each event once', async () => {
    const [db, nats] = await Promise.all([createTestDatabase(), startPrivateNats()]);
    const app = await createAuditApp(loadConfig(AuditEnv, { DATABASE_URL: db.url, NATS_URL: nats.url, PORT: '0', LOG_LEVEL: 'silent', AUDIT_SIGNING_KEY: aSigningKeyPem() }));
    const url = await app.listen();
    const connection = await connectJetStream({ servers: nats.url, name: 'audit-outage-test', reconnectTimeWaitMs: 100, timeoutMs: 1_000, logger: pino({ level: 'silent' }) });
    const publisher = new EventPublisher(connection.js, new Topology());
    const sql = new Client({ connectionString: db.url });
    const entries = async () => Number((await sql.query<{ n: string }>('SELECT count(DISTINCT event_id) AS n FROM audit.entry')).rows[0]?.n);
    try {
      await sql.connect();
      const before = anIncidentFlow();
      for (const event of before) await publisher.publish(event as TypedEvent);
      await expectEventually(async () => expect(await entries()).toBe(13));

      await nats.stop();
      await expectEventually(() => expect(connection.isConnected()).toBe(false));
      await nats.start();

      const after = anIncidentFlow();
      for (const event of after) {
        // The publisher may still be reconnecting; the broker drops a repeat of the same id.
        await expectEventually(() => publisher.publish(event as TypedEvent), { timeoutMs: 20_000, intervalMs: 100 });
      }
      await expectEventually(async () => expect(await entries()).toBe(26), { timeoutMs: 30_000, intervalMs: 100 });
      const token = await signDevToken(aCaller({ roles: ['auditor'], clearance: 'red' }), DEV_AUTH_SECRET, '1h');
      expect(await json(fetch(`${url}/v1/audit/verify`, { headers: { authorization: `Bearer ${token}` } }))).toMatchObject({ valid: true, entries: 26 });
    } finally {
      await sql.end();
      await connection.close();
      await app.close();
      await nats.dispose();
      await db.drop();
    }
  });
});
