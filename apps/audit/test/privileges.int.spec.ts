import { randomBytes } from 'node:crypto';
import { loadConfig } from '@watchfloor/platform';
import { connectJetStream, EventPublisher, Topology, type TypedEvent } from '@watchfloor/messaging';
import { createTestDatabase, expectEventually, useNats } from '@watchfloor/testing';
import pino from 'pino';
import { Client } from 'pg';
import { createAuditApp } from '../src/audit-app';
import { AuditEnv } from '../src/config';
import { runtimeRoleGrants } from '../src/migrations/runtime-role-grants';
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

describe('a deployment where another role owns the schema', () => {
  it('runs audit as a role that may append and read but neither change entries nor switch the trigger off', async () => {
    const db = await createTestDatabase();
    const nats = await useNats();
    const suffix = randomBytes(4).toString('hex');
    const owner = `wf_audit_owner_${suffix}`;
    const runtime = `wf_audit_app_${suffix}`;
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    const urlOf = (role: string) => Object.assign(new URL(db.url), { username: role }).toString();
    const config = (role: string) =>
      loadConfig(AuditEnv, { DATABASE_URL: urlOf(role), NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, PORT: '0', LOG_LEVEL: 'silent', AUDIT_SIGNING_KEY: aSigningKeyPem() });
    const asOwner = new Client({ connectionString: urlOf(owner) });
    const asRuntime = new Client({ connectionString: urlOf(runtime) });
    const connection = await connectJetStream({ servers: nats.url, name: 'audit-roles-test', logger: pino({ level: 'silent' }) });
    let app: Awaited<ReturnType<typeof createAuditApp>> | undefined;
    try {
      await admin.query(`CREATE ROLE ${owner} LOGIN NOSUPERUSER`);
      await admin.query(`CREATE ROLE ${runtime} LOGIN NOSUPERUSER`);
      await admin.query(`CREATE SCHEMA audit AUTHORIZATION ${owner}`);
      // Start-up runs CREATE SCHEMA IF NOT EXISTS, which Postgres checks against the database's CREATE right first.
      await admin.query(`GRANT CREATE ON DATABASE "${db.name}" TO ${owner}, ${runtime}`);
      // The deployment's migration step: audit started once as the owner.
      await (await createAuditApp(config(owner))).close();
      await asOwner.connect();
      for (const grant of runtimeRoleGrants(runtime)) await asOwner.query(grant);

      app = await createAuditApp(config(runtime));
      await app.listen();
      const publisher = new EventPublisher(connection.js, new Topology(nats.namespace));
      for (const event of anIncidentFlow()) await publisher.publish(event as TypedEvent);
      await asRuntime.connect();
      await expectEventually(async () => expect((await asRuntime.query('SELECT 1 FROM audit.entry')).rowCount).toBe(13));

      for (const statement of [
        "UPDATE audit.entry SET actor = 'x'",
        'DELETE FROM audit.checkpoint',
        'ALTER TABLE audit.entry DISABLE TRIGGER USER',
        'DROP TRIGGER entry_append_only ON audit.entry',
      ]) {
        await expect(asRuntime.query(statement)).rejects.toThrow(/permission denied|must be owner/);
      }
      // Granting itself the right only earns a warning: the privilege is still not there.
      await asRuntime.query(`GRANT UPDATE ON audit.entry TO ${runtime}`);
      await expect(asRuntime.query("UPDATE audit.entry SET actor = 'x'")).rejects.toThrow(/permission denied/);
    } finally {
      await app?.close();
      await asRuntime.end().catch(() => undefined);
      await asOwner.end().catch(() => undefined);
      await connection.close();
      await admin.end();
      await nats.cleanup();
      await db.drop();
      const server = new Client({ connectionString: db.url.replace(`/${db.name}`, '/postgres') });
      await server.connect();
      await server.query(`DROP ROLE IF EXISTS ${runtime}`);
      await server.query(`DROP ROLE IF EXISTS ${owner}`);
      await server.end();
    }
  });
});
