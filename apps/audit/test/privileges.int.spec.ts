import { randomBytes } from 'node:crypto';
import { loadConfig } from '@watchfloor/platform';
import { connectJetStream, EventPublisher, Topology, type TypedEvent } from '@watchfloor/messaging';
import { createTestDatabase, expectEventually, useNats } from '@watchfloor/testing';
import pino from 'pino';
import { Client } from 'pg';
import { createAuditApp } from '../src/audit-app';
import { AuditEnv } from '../src/config';
import { aSigningKeyPem } from './harness';
import { anIncidentFlow } from './incident-flow';

describe('the database role audit runs as', () => {
  it('owns the schema yet may only INSERT and SELECT entries and checkpoints, even with the trigger switched off', async () => {
    const db = await createTestDatabase();
    const nats = await useNats();
    const role = `wf_audit_${randomBytes(4).toString('hex')}`;
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER`);
    await admin.query(`ALTER DATABASE "${db.name}" OWNER TO ${role}`);
    const url = new URL(db.url);
    url.username = role;
    const app = await createAuditApp(
      loadConfig(AuditEnv, { DATABASE_URL: url.toString(), NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, PORT: '0', LOG_LEVEL: 'silent', AUDIT_SIGNING_KEY: aSigningKeyPem() }),
    );
    await app.listen();
    const asService = new Client({ connectionString: url.toString() });
    const connection = await connectJetStream({ servers: nats.url, name: 'audit-privileges-test', logger: pino({ level: 'silent' }) });
    try {
      await asService.connect();
      // It records as usual with what it has.
      const publisher = new EventPublisher(connection.js, new Topology(nats.namespace));
      for (const event of anIncidentFlow()) await publisher.publish(event as TypedEvent);
      await expectEventually(async () => expect((await asService.query('SELECT 1 FROM audit.entry')).rowCount).toBe(13));
      // The owner may switch its triggers off, but the privileges are gone all the same.
      await asService.query('ALTER TABLE audit.entry DISABLE TRIGGER USER');
      for (const statement of ["UPDATE audit.entry SET actor = 'x'", 'DELETE FROM audit.entry', 'TRUNCATE audit.entry', "UPDATE audit.checkpoint SET hash = 'x'", 'DELETE FROM audit.checkpoint']) {
        await expect(asService.query(statement)).rejects.toThrow(/permission denied/);
      }
    } finally {
      await asService.end();
      await connection.close();
      await app.close();
      await admin.end();
      await nats.cleanup();
      await db.drop();
      const server = new Client({ connectionString: db.url.replace(`/${db.name}`, '/postgres') });
      await server.connect();
      await server.query(`DROP ROLE IF EXISTS ${role}`);
      await server.end();
    }
  });
});
