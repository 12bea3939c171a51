import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { EventPublisher, Topology } from '@watchfloor/messaging';
import { createTestDatabase, expectEventually, SkewedClock, spawnService, useNats, type ChildService, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { Client } from 'pg';
import { testTriageEnv } from './escalation-harness';
import { anEmergency } from './events';

const DEADLINE_SECONDS = 3;
const TEN_MINUTES = 600;
/** Postgres's time as triage tells it: half a round trip off at most, a loaded machine's round trip. */
const CLOCK_ERROR_MS = 500;
/** Time a triage transaction may take between reading the clock and writing its outbox row. */
const TRANSACTION_MS = 2_000;

/** Seconds a process's wall clock is off from this one's, from the `Date` header it answers with (to the second). */
async function wallClockOffset(child: ChildService): Promise<number> {
  const response = await fetch(`${child.url}/health/live`);
  return Math.round((Date.parse(response.headers.get('date') ?? '') - Date.now()) / 1000);
}

/** What the record says of one incident: its deadline, and when (Postgres's clock) triage wrote each event about it. */
interface Recorded {
  ackDeadline: Date;
  triagedAt: Date;
  escalations: Array<{ writtenAt: Date; level: number; deadline: string; time: string }>;
}

describe('triage keeps Postgres time, whatever the clock of its process says', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let nc: NatsConnection;
  let sql: Client;
  const clocks: SkewedClock[] = [];
  const children: ChildService[] = [];

  beforeEach(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    nc = await connect({ servers: nats.url });
    sql = new Client({ connectionString: db.url });
    await sql.connect();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await child.stop();
    for (const clock of clocks.splice(0)) clock.remove();
    await sql.end();
    await nc.close();
    await nats.cleanup();
    await db.drop();
  });

  /** A triage process on a wall clock of its own; escalation stops at level 1, so one escalation per incident is all there is. */
  const spawnTriage = async (): Promise<{ triage: ChildService; clock: SkewedClock }> => {
    const clock = SkewedClock.create();
    clocks.push(clock);
    const env = { LOG_LEVEL: 'warn', TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS: String(DEADLINE_SECONDS), TRIAGE_ESCALATION_POLL_MS: '100', TRIAGE_ESCALATION_MAX_LEVEL: '1' };
    const triage = await spawnService('triage', testTriageEnv(db, nats, { ...env, ...clock.env }), { waitFor: 'ready' });
    children.push(triage);
    return { triage, clock };
  };

  /** Steps `clock` by `seconds` and waits until the process's wall clock shows it (libfaketime reads its file again within a second). */
  const skew = async (triage: ChildService, clock: SkewedClock, seconds: number) => {
    clock.skew(seconds);
    await expectEventually(async () => expect(Math.abs((await wallClockOffset(triage)) - seconds)).toBeLessThanOrEqual(2), { timeoutMs: 10_000, intervalMs: 100 });
  };

  /** Reports `count` emergencies and waits until the record holds an escalation of each. */
  const reportEmergencies = async (count: number): Promise<Map<string, Recorded>> => {
    const publisher = new EventPublisher(jetstream(nc), new Topology(nats.namespace));
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const report = anEmergency();
      await publisher.publish(report);
      ids.push(report.data.incidentId);
    }
    return expectEventually(
      async () => {
        const recorded = await readRecord(ids);
        const waiting = ids.filter((id) => (recorded.get(id)?.escalations.length ?? 0) === 0);
        if (waiting.length > 0) throw new Error(`${waiting.length} of ${count} incidents not escalated yet`);
        return recorded;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  };

  const readRecord = async (ids: string[]): Promise<Map<string, Recorded>> => {
    const { rows } = await sql.query<{ id: string; ack_deadline: Date; type: string; created_at: Date; event: { time: string; data: { level: number; deadline: string } } }>(
      `SELECT i.id, i.ack_deadline, o.type, o.created_at, o.payload::jsonb AS event
         FROM triage.incident i JOIN triage.outbox o ON o.payload::jsonb #>> '{data,incidentId}' = i.id::text
        WHERE i.id = ANY($1) AND o.type IN ('watchfloor.incident.triaged.v1', 'watchfloor.incident.escalated.v1')
        ORDER BY o.seq`,
      [ids],
    );
    const recorded = new Map<string, Recorded>();
    for (const row of rows) {
      const incident = recorded.get(row.id) ?? { ackDeadline: row.ack_deadline, triagedAt: row.created_at, escalations: [] };
      if (row.type === 'watchfloor.incident.escalated.v1') {
        incident.escalations.push({ writtenAt: row.created_at, level: row.event.data.level, deadline: row.event.data.deadline, time: row.event.time });
      }
      recorded.set(row.id, incident);
    }
    return recorded;
  };

  /**
   * What breaks Postgres time, incident by incident: the deadline not the emergency period
   * after triage, not exactly one escalation (level 1, of that deadline), one written before
   * the deadline or long after it, an event stamped with another clock.
   */
  const offPostgresTime = (recorded: Map<string, Recorded>): string[] =>
    [...recorded].flatMap(([id, incident]) => {
      const broken: string[] = [];
      const outside = (what: string, ms: number, low: number, high: number) => {
        if (ms < low || ms > high) broken.push(`${id}: ${what} ${ms} ms, not within [${low}, ${high}]`);
      };
      outside('deadline after triage', incident.ackDeadline.getTime() - incident.triagedAt.getTime(), DEADLINE_SECONDS * 1000 - TRANSACTION_MS, DEADLINE_SECONDS * 1000 + CLOCK_ERROR_MS);
      const levels = incident.escalations.map((escalation) => `${escalation.level} of ${escalation.deadline}`);
      if (levels.join() !== `1 of ${incident.ackDeadline.toISOString()}`) broken.push(`${id}: escalations ${JSON.stringify(levels)}, deadline ${incident.ackDeadline.toISOString()}`);
      for (const escalation of incident.escalations) {
        outside('escalation written after the deadline', escalation.writtenAt.getTime() - Date.parse(escalation.deadline), -CLOCK_ERROR_MS, 10_000);
        outside('escalation stamped after it was written', Date.parse(escalation.time) - escalation.writtenAt.getTime(), -TRANSACTION_MS, CLOCK_ERROR_MS);
      }
      return broken;
    });

  it('two replicas, one 10 minutes ahead and one 10 minutes behind: deadlines from Postgres time, each escalated once, never before it', async () => {
    const [ahead, behind] = await Promise.all([spawnTriage(), spawnTriage()]);
    await Promise.all([skew(ahead.triage, ahead.clock, TEN_MINUTES), skew(behind.triage, behind.clock, -TEN_MINUTES)]);

    const recorded = await reportEmergencies(8);
    expect(recorded.size).toBe(8);
    expect(offPostgresTime(recorded)).toEqual([]);
    // Escalation stopped at level 1 for every one: nothing is left to fire a second time.
    const { rows } = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM triage.incident WHERE escalation_due_at IS DISTINCT FROM 'infinity'`);
    expect(Number(rows[0]?.n)).toBe(0);
  });

  it('a clock stepped 10 minutes while the process runs changes nothing it decides', async () => {
    const { triage, clock } = await spawnTriage();
    await skew(triage, clock, TEN_MINUTES);
    expect(offPostgresTime(await reportEmergencies(2))).toEqual([]);
    await skew(triage, clock, -TEN_MINUTES);
    expect(offPostgresTime(await reportEmergencies(2))).toEqual([]);
  });
});
