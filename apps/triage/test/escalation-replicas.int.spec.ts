import { createServiceDataSource } from '@watchfloor/persistence';
import { createTestDatabase, expectEventually, spawnService, useNats, type ChildService, type TestDatabase, type TestNats } from '@watchfloor/testing';
import type { DataSource } from 'typeorm';
import { type EscalatedData, EscalationsOnStream, seedIncident } from './escalation-fixtures';
import { testTriageEnv } from './escalation-harness';

const DEADLINE_SECONDS = 2;
// The period between levels (the level's configured deadline) is longer than the seeded first
// deadline, so a loaded machine cannot let the next level fire before the test has looked.
const PERIOD_SECONDS = 10;

/** Waits (by polling the clock, not a fixed sleep) until `moment` has passed. */
const until = (moment: Date) =>
  expectEventually(
    () => {
      if (Date.now() <= moment.getTime()) throw new Error(`still before ${moment.toISOString()}`);
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );

/** `incidentId:level` of each escalation, to find one fired twice. */
const keys = (escalations: EscalatedData[]) => escalations.map((escalation) => `${escalation.incidentId}:${escalation.level}`);

describe('triage escalation is durable: once per deadline across crashes and replicas', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let stream: EscalationsOnStream;
  let seeder: DataSource | undefined;
  const children: ChildService[] = [];

  const spawnTriage = async (env: Record<string, string> = {}) => {
    const child = await spawnService(
      'triage',
      testTriageEnv(db, nats, {
        LOG_LEVEL: 'warn',
        TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS: String(DEADLINE_SECONDS),
        TRIAGE_ESCALATION_POLL_MS: '100',
        ...env,
      }),
    );
    children.push(child);
    // The child has migrated the schema; the test seeds incidents through its own pool.
    seeder ??= await createServiceDataSource({ url: db.url, schema: 'triage', runMigrations: false, poolSize: 2 });
    return child;
  };

  const seedDb = (): DataSource => {
    if (!seeder) throw new Error('spawn triage first: it migrates the schema');
    return seeder;
  };

  beforeEach(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    stream = await EscalationsOnStream.open(nats.url, nats.namespace);
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop();
    await seeder?.destroy();
    seeder = undefined;
    await stream.close();
    await nats.cleanup();
    await db.drop();
  });

  it('a deadline missed while triage is down escalates once after the restart, and the next level once after another kill -9', async () => {
    const triage = await spawnTriage({ TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS: String(PERIOD_SECONDS) });
    const deadline = new Date(Date.now() + DEADLINE_SECONDS * 1000);
    const incident = await seedIncident(seedDb(), { priority: 'emergency', ackDeadline: deadline });
    await triage.kill();
    await until(deadline);

    await triage.restart();
    const [first] = await expectEventually(
      async () => {
        const found = await stream.list(incident.id);
        expect(found.map((escalation) => escalation.level)).toEqual([1]);
        return found;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    expect(first?.deadline).toBe(deadline.toISOString());

    // Crash again before the next deadline: it must fire once after the restart, level 1 never again.
    await triage.kill();
    await until(new Date(first?.nextDeadline ?? 0));
    await triage.restart();
    await expectEventually(async () => expect((await stream.list(incident.id)).map((escalation) => escalation.level)).toEqual([1, 2]), {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
  });

  it('two triage processes on one database and namespace: exactly one incident.escalated per incident and level', async () => {
    const env = { TRIAGE_ESCALATION_MAX_LEVEL: '2' };
    await Promise.all([spawnTriage(env), spawnTriage(env)]);
    const deadline = new Date(Date.now() + DEADLINE_SECONDS * 1000);
    const seeded = await Promise.all(Array.from({ length: 30 }, () => seedIncident(seedDb(), { priority: 'emergency', ackDeadline: deadline })));

    const escalations = await expectEventually(
      async () => {
        const found = await stream.list();
        expect(found.length).toBeGreaterThanOrEqual(seeded.length * 2);
        return found;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    // Level 2 is the last (max level 2): once every incident is there, nothing more is due.
    const rows: Array<{ pending: string }> = await seedDb().query(
      `SELECT count(*) AS pending FROM incident WHERE status = 'new' AND COALESCE(escalation_due_at, ack_deadline) <> 'infinity'`,
    );
    expect(Number(rows[0]?.pending)).toBe(0);
    // Everything committed, not only what reached the stream: the outbox holds each escalation once too.
    const outbox: Array<{ n: string }> = await seedDb().query(`SELECT count(*) AS n FROM outbox WHERE type = 'watchfloor.incident.escalated.v1'`);
    expect(Number(outbox[0]?.n)).toBe(seeded.length * 2);
    const expected = seeded.flatMap((incident) => [`${incident.id}:1`, `${incident.id}:2`]).sort();
    expect(keys(escalations).sort()).toEqual(expected);
    // And each level carried its own incident version, so consumers order them right.
    for (const incident of seeded) {
      expect(escalations.filter((escalation) => escalation.incidentId === incident.id).map((escalation) => escalation.version).sort()).toEqual([2, 3]);
    }
  });
});
