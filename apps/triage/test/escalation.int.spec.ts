import { countStatements, createTestDatabase, expectEventually, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { EscalateMissedDeadline } from '../src/escalation/escalate-missed-deadline.usecase';
import { EscalationScanner } from '../src/escalation/escalation-scanner';
import { IncidentRepository } from '../src/incidents/incident.repository';
import { type InProcessTriage, startTriageInProcess, testTriageEnv, tokenFor } from './escalation-harness';
import { EscalationsOnStream, seedIncident } from './escalation-fixtures';

const DEADLINE_SECONDS = 2;

describe('triage escalation: missed acknowledgement deadlines', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let triage: InProcessTriage;
  let stream: EscalationsOnStream;
  let officer: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    triage = await startTriageInProcess(
      testTriageEnv(db, nats, {
        TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS: String(DEADLINE_SECONDS),
        TRIAGE_ACK_DEADLINE_SEVERE_SECONDS: String(DEADLINE_SECONDS),
        TRIAGE_ESCALATION_POLL_MS: '100',
      }),
    );
    stream = await EscalationsOnStream.open(nats.url, nats.namespace);
    officer = await tokenFor('triage', 'dana');
    const rotation = await triage.request('PUT', '/v1/oncall', {
      token: await tokenFor('admin'),
      body: { timezone: 'America/New_York', shifts: [{ assignee: 'dana', start: '00:00', end: '24:00' }], escalation: ['shift-lead', 'soc-manager'] },
    });
    expect(rotation.status).toBe(200);
  });
  afterAll(async () => {
    await stream?.close();
    await triage?.close();
    await nats?.cleanup();
    await db?.drop();
  });

  const incidents = () => triage.app.app.get(IncidentRepository, { strict: false });
  const scanner = () => triage.app.app.get(EscalationScanner, { strict: false });
  const readIncident = async (id: string) => {
    const incident = await incidents().findById(triage.app.dataSource.manager, id);
    if (!incident) throw new Error(`incident ${id} not found`);
    return incident;
  };

  /** A triage officer acknowledges through the API (`POST /v1/incidents/:id/acknowledge`). */
  const acknowledge = async (id: string) => {
    const response = await triage.request('POST', `/v1/incidents/${id}/acknowledge`, { token: officer });
    expect(response.status).toBe(200);
  };

  it('an unacknowledged emergency escalates at its deadline, again at the next, and stops once acknowledged', async () => {
    const deadline = new Date(Date.now() + DEADLINE_SECONDS * 1000);
    const incident = await seedIncident(triage.app.dataSource, { priority: 'emergency', ackDeadline: deadline });

    const [first] = await expectEventually(
      async () => {
        const found = await stream.list(incident.id);
        expect(found).toHaveLength(1);
        return found;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(first).toMatchObject({
      level: 1,
      priority: 'emergency',
      reason: 'ack_deadline_missed',
      deadline: deadline.toISOString(),
      escalatedTo: 'shift-lead',
      version: 2,
    });
    // One period after the missed deadline (later only if this machine stalled past it).
    expect(Date.parse(first?.nextDeadline ?? '') - deadline.getTime()).toBeGreaterThanOrEqual(DEADLINE_SECONDS * 1000);

    const escalations = await expectEventually(
      async () => {
        const found = await stream.list(incident.id);
        expect(found).toHaveLength(2);
        return found;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
    expect(escalations[1]).toMatchObject({ level: 2, deadline: first?.nextDeadline, escalatedTo: 'soc-manager', version: 3 });
    expect(await readIncident(incident.id)).toMatchObject({ escalationLevel: 2, version: 3 });

    await acknowledge(incident.id);
    // Whenever the scanner looks from now on, even a day later, nothing is due for it.
    expect(await scanner().scanOnce(new Date(Date.now() + 24 * 3600_000))).toBe(0);
    expect(await readIncident(incident.id)).toMatchObject({ status: 'acknowledged', escalationLevel: 2, version: 4 });
    expect(await stream.list(incident.id)).toHaveLength(2);
  });

  it('never escalates an incident acknowledged, resolved or closed in time, nor one without a deadline', async () => {
    const soon = new Date(Date.now() + 60_000);
    const acknowledged = await seedIncident(triage.app.dataSource, { ackDeadline: soon });
    await acknowledge(acknowledged.id);
    const resolved = await seedIncident(triage.app.dataSource, { ackDeadline: soon, status: 'resolved' });
    const closed = await seedIncident(triage.app.dataSource, { ackDeadline: soon, status: 'closed' });
    const baseline = await seedIncident(triage.app.dataSource, { priority: 'baseline', ackDeadline: null });

    expect(await scanner().scanOnce(new Date(Date.now() + 24 * 3600_000))).toBe(0);
    for (const { id } of [acknowledged, resolved, closed, baseline]) {
      expect(await readIncident(id)).toMatchObject({ escalationLevel: 0 });
    }
  });

  it('an incident that cannot be escalated is put aside; the deadlines claimed with it still escalate', async () => {
    const overdue = new Date(Date.now() - 1000);
    const broken = await seedIncident(triage.app.dataSource, { ackDeadline: new Date(overdue.getTime() - 1000), tlp: 'ultraviolet' });
    const healthy = await Promise.all([1, 2, 3].map(() => seedIncident(triage.app.dataSource, { ackDeadline: overdue })));
    for (const { id } of healthy) {
      await expectEventually(async () => expect(await readIncident(id)).toMatchObject({ escalationLevel: 1 }), { timeoutMs: 10_000, intervalMs: 50 });
    }
    const rows: Array<{ escalation_level: number; escalation_due_at: Date }> = await triage.app.dataSource.query(
      `SELECT escalation_level, escalation_due_at FROM triage.incident WHERE id = $1`,
      [broken.id],
    );
    expect(rows[0]?.escalation_level).toBe(0);
    expect(rows[0]?.escalation_due_at.getTime()).toBeGreaterThan(Date.now() + 30_000);
    for (const { id } of healthy) await acknowledge(id);
    await triage.app.dataSource.query(`UPDATE triage.incident SET status = 'closed' WHERE id = $1`, [broken.id]);
  });

  it('a claim of deadlines is written in a fixed number of statements, whatever its size', async () => {
    const later = Date.now() + 3600_000;
    const escalate = triage.app.app.get(EscalateMissedDeadline, { strict: false });
    // Deadlines an hour away (the running scanner leaves them), escalated as if it were then.
    const claim = async (size: number, at: number) => {
      const seeded = await Promise.all(Array.from({ length: size }, () => seedIncident(triage.app.dataSource, { ackDeadline: new Date(at) })));
      const { statements, escalated } = await triage.app.dataSource.transaction(async (manager) => {
        const counted = countStatements(manager);
        const escalated = await escalate.escalateDue(manager, new Date(at + 1000), size);
        return { statements: counted(), escalated };
      });
      expect(escalated.map((e) => e.incidentId).sort()).toEqual(seeded.map((i) => i.id).sort());
      for (const { id } of seeded) expect(await readIncident(id)).toMatchObject({ escalationLevel: 1, version: 2 });
      for (const { id } of seeded) await acknowledge(id);
      return statements;
    };
    const [two, thirtyTwo] = [await claim(2, later), await claim(32, later + 60_000)];
    expect(thirtyTwo).toBe(two);
    // The claim, the rows, the rotation, the incidents with their timeline, the next deadlines, the outbox.
    expect(two).toBeLessThanOrEqual(6);
  });

  it('escalation is a change of the incident: its version and timeline say so', async () => {
    const incident = await seedIncident(triage.app.dataSource, { priority: 'severe', ackDeadline: new Date(Date.now() - 1000) });
    await expectEventually(async () => expect(await readIncident(incident.id)).toMatchObject({ escalationLevel: 1, version: 2 }), {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const timeline = await triage.app.dataSource.query(`SELECT type, version, by FROM triage.incident_timeline WHERE incident_id = $1`, [incident.id]);
    expect(timeline).toEqual([{ type: 'watchfloor.incident.escalated.v1', version: 2, by: { kind: 'system', rule: 'ack_deadline' } }]);
    await acknowledge(incident.id);
  });
});
