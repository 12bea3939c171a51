import { generateKeyPairSync } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Client } from 'pg';
import {
  aSubmission,
  apiClient,
  createTestDatabase,
  devToken,
  expectEventually,
  spawnService,
  startPrivateNats,
  type ChildService,
  type PrivateNats,
  type TestDatabase,
} from '@watchfloor/testing';
// The test polls the check's own comparison (the CLI, run below, is too slow to poll);
// tools/ is no Nx project, so the boundary rule sees a path outside the workspace's projects.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { compareStages, type IntegrityReport } from '../../tools/integrity/compare';
import { runTool } from './run-tool';

const SERVICES = ['intake', 'triage', 'notification', 'audit'] as const;
type ServiceName = (typeof SERVICES)[number];

/** Incidents whose reports the broker "loses". */
const LOST = 3;

/** Timer-driven escalations off (as in the scale-out test): the events depend only on what the test submits. */
const NO_DEADLINES = Object.fromEntries(['EMERGENCY', 'SEVERE', 'HIGH', 'MEDIUM', 'LOW'].map((level) => [`TRIAGE_ACK_DEADLINE_${level}_SECONDS`, '0']));

function missingOf(report: IntegrityReport, producer: string, consumer: string): number | undefined {
  return report.routes.find((route) => route.producer === producer && route.consumer === consumer)?.missing;
}

/** Missing counts of every route, for one readable assertion. */
function missingByRoute(report: IntegrityReport): Record<string, number> {
  return Object.fromEntries(report.routes.map((route) => [`${route.producer} -> ${route.consumer}`, route.missing]));
}

// ARCHITECTURE.md "Reconciliation": the broker loses acknowledged messages, the integrity
// check finds exactly those, and the replay it prints repairs them. The broker is a private
// nats-server: the loss is acted out as a purge of the messages followed by a restart, as
// after a crash before the fsync. Without the restart the server would still hold the lost
// ids in its duplicate window (10 min) and drop their re-publish as repeats; a server that
// recovers rebuilds that window from the messages it still has.
describe('the integrity check', () => {
  let db: TestDatabase;
  let nats: PrivateNats;
  let pg: Client;
  const services = {} as Record<ServiceName, ChildService>;

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('wf_integrity'), startPrivateNats()]);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const extra: Record<ServiceName, Record<string, string>> = { intake: {}, triage: NO_DEADLINES, notification: {}, audit: { AUDIT_SIGNING_KEY: signingKey } };
    const started = await Promise.all(
      SERVICES.map((service) =>
        spawnService(service, { DATABASE_URL: db.url, NATS_URL: nats.url, ...extra[service] }, { waitFor: 'ready' }),
      ),
    );
    SERVICES.forEach((service, i) => (services[service] = started[i] as ChildService));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(Object.values(services).map((service) => service.stop()));
    await pg?.end();
    await nats?.dispose();
    await db?.drop();
  });

  it('finds the events a broker lost, prints their replay, and is consistent after it', async () => {
    const since = new Date(Date.now() - 1_000);
    const intake = apiClient(services.intake.url);
    const token = await devToken();
    const submit = async (): Promise<string> => {
      const response = await intake('POST', '/v1/incidents', { token, body: aSubmission() });
      expect(response.status).toBe(201);
      return ((await response.json()) as { id: string }).id;
    };
    const check = () => compareStages(pg, { since, until: new Date() });

    // Everything flows: consistent once every event has been handled.
    const first = [await submit(), await submit()];
    await expectEventually(async () => {
      const report = await check();
      expect(missingByRoute(report)).toEqual(Object.fromEntries(report.routes.map((r) => [`${r.producer} -> ${r.consumer}`, 0])));
      expect(report.stuck).toEqual([]);
      expect(report.routes.find((r) => r.producer === 'triage' && r.consumer === 'audit')?.checked).toBeGreaterThanOrEqual(first.length);
      expect(report.consistent).toBe(true);
    }, { timeoutMs: 60_000, intervalMs: 250 });

    // Triage and audit are down while intake publishes LOST reports; notification takes them.
    await Promise.all([services.triage.kill(), services.audit.kill()]);
    const lost: string[] = [];
    for (let i = 0; i < LOST; i++) lost.push(await submit());
    await expectEventually(async () => {
      const report = await check();
      expect({ triage: missingOf(report, 'intake', 'triage'), audit: missingOf(report, 'intake', 'audit'), notification: missingOf(report, 'intake', 'notification') })
        .toEqual({ triage: LOST, audit: LOST, notification: 0 });
      expect(report.stuck.filter((stuck) => stuck.producer === 'intake')).toEqual([]);
    }, { timeoutMs: 60_000, intervalMs: 250 });
    const lostEventIds = (
      await pg.query<{ event_id: string }>(
        `SELECT event_id FROM intake.outbox WHERE type = 'watchfloor.incident.reported.v1' AND payload::jsonb #>> '{data,incidentId}' = ANY($1::text[])`,
        [lost],
      )
    ).rows.map((row) => row.event_id).sort();
    expect(lostEventIds).toHaveLength(LOST);

    // The broker loses them before anyone read them, and restarts.
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.purge('INCIDENTS', { filter: 'incident.reported.>' });
    } finally {
      await nc.close();
    }
    await nats.stop();
    await nats.start();
    await Promise.all([services.triage.restart(), services.audit.restart()]);

    // A later incident flows again, proving both consumers run: the lost ones never arrive.
    const later = await submit();
    let lostReport: IntegrityReport | undefined;
    await expectEventually(async () => {
      const triaged = await pg.query(`SELECT 1 FROM triage.outbox WHERE type = 'watchfloor.incident.triaged.v1' AND payload::jsonb #>> '{data,incidentId}' = $1`, [later]);
      expect(triaged.rowCount).toBe(1);
      const report = await check();
      expect(missingByRoute(report)).toEqual({
        'intake -> triage': LOST,
        'intake -> notification': 0,
        'intake -> audit': LOST,
        'triage -> intake': 0,
        'triage -> notification': 0,
        'triage -> audit': 0,
        'notification -> audit': 0,
      });
      expect(report.stuck).toEqual([]);
      lostReport = report;
    }, { timeoutMs: 90_000, intervalMs: 250 });
    const found = lostReport as IntegrityReport;
    for (const consumer of ['triage', 'audit']) {
      const route = found.routes.find((r) => r.producer === 'intake' && r.consumer === consumer);
      expect(route?.firstMissing.map((event) => event.eventId).sort()).toEqual(lostEventIds);
      expect(route?.firstMissing.every((event) => event.type === 'watchfloor.incident.reported.v1')).toBe(true);
    }
    expect(found.repairs.map((repair) => repair.producer)).toEqual(['intake']);
    expect(found.consistent).toBe(false);

    // The CLI says the same, with exit status 1 and the replay to run.
    const env = { DATABASE_URL: db.url, NATS_URL: nats.url };
    const window = ['--since', since.toISOString(), '--until', new Date().toISOString()];
    const inconsistent = await runTool('integrity/check.ts', window, env);
    expect(inconsistent.code).toBe(1);
    expect(inconsistent.output).toMatch(/^intake -> triage +\d+ +3$/m);
    expect(inconsistent.output).toMatch(/^intake -> audit +\d+ +3$/m);
    for (const eventId of lostEventIds) expect(inconsistent.output).toContain(eventId);
    const repair = /npm run outbox:replay -- --schema (\S+) --since (\S+)/.exec(inconsistent.output);
    expect(repair?.slice(1)).toEqual(['intake', found.repairs[0]?.since.toISOString()]);

    // The repair, as printed: every lost event reaches its consumers, each incident is triaged once.
    const replayed = await runTool('outbox/replay.ts', ['--schema', repair?.[1] as string, '--since', repair?.[2] as string], env);
    expect(replayed).toEqual({ code: 0, output: expect.stringContaining('published') });
    await expectEventually(async () => {
      const report = await check();
      expect(missingByRoute(report)).toEqual(Object.fromEntries(report.routes.map((r) => [`${r.producer} -> ${r.consumer}`, 0])));
      expect(report.consistent).toBe(true);
    }, { timeoutMs: 90_000, intervalMs: 250 });
    const triagedTimes = await pg.query<{ incident: string; n: number }>(
      `SELECT payload::jsonb #>> '{data,incidentId}' AS incident, count(*)::int AS n FROM triage.outbox
        WHERE type = 'watchfloor.incident.triaged.v1' GROUP BY 1 ORDER BY 1`,
    );
    expect(triagedTimes.rows).toEqual([...first, ...lost, later].sort().map((incident) => ({ incident, n: 1 })));

    const consistent = await runTool('integrity/check.ts', ['--since', since.toISOString(), '--until', new Date().toISOString()], env);
    expect(consistent).toEqual({ code: 0, output: expect.stringContaining('Consistent: every consumer holds every event.') });
    const badArgs = await runTool('integrity/check.ts', ['--since', 'yesterday'], env);
    expect(badArgs).toEqual({ code: 2, output: expect.stringContaining('--since is not an ISO 8601 time: yesterday') });
    // The environment is read as the services read it: a bad value is named, nothing is queried.
    const badEnv = await runTool('integrity/check.ts', [], { ...env, DATABASE_URL: 'mysql://db.example/watchfloor' });
    expect(badEnv).toEqual({ code: 2, output: expect.stringContaining('DATABASE_URL: must be a postgres or postgresql URL') });
  }, 420_000);
});
