import { anEmergency } from './events';
import { startTriage, type TriageUnderTest } from './harness';

const DEADLINE_SECONDS = 2;

describe('triage: from report to escalation, with the on-call rotation', () => {
  let triage: TriageUnderTest;
  let officer: string;

  beforeAll(async () => {
    triage = await startTriage({ TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS: String(DEADLINE_SECONDS), TRIAGE_ESCALATION_POLL_MS: '100' });
    const rotation = await triage.request('PUT', '/v1/oncall', {
      token: await triage.token({ role: 'admin' }),
      body: {
        timezone: 'America/New_York',
        shifts: [
          { assignee: 'dana', start: '00:00', end: '24:00' },
          { assignee: 'nico', start: '00:00', end: '24:00' },
        ],
        escalation: ['shift-lead', 'soc-manager'],
      },
    });
    expect(rotation.status).toBe(200);
    officer = await triage.token({ role: 'triage', sub: 'dana' });
  });
  afterAll(async () => {
    await triage?.close();
  });

  /** A triage officer acknowledges through the API (`POST /v1/incidents/:id/acknowledge`). */
  const acknowledge = async (id: string) => {
    const response = await triage.request('POST', `/v1/incidents/${id}/acknowledge`, { token: officer });
    expect(response.status).toBe(200);
  };

  it('new emergencies go round robin to whoever is on call, escalate twice unacknowledged, and stop once acknowledged', async () => {
    const reports = [anEmergency(), anEmergency()];
    for (const report of reports) await triage.publish(report);
    const [first, second] = reports.map((report) => report.data.incidentId) as [string, string];

    const assigned = await Promise.all(
      [first, second].map(async (id) => (await triage.eventsAbout(id, 'watchfloor.incident.assigned.v1'))[0]?.data['assignee']),
    );
    expect(assigned.sort()).toEqual(['dana', 'nico']);
    const triaged = (await triage.eventsAbout(first, 'watchfloor.incident.triaged.v1'))[0];
    expect(triaged?.data).toMatchObject({ priority: 'emergency' });
    const ackDeadline = String(triaged?.data['ackDeadline']);

    const escalations = await triage.eventsAbout(first, 'watchfloor.incident.escalated.v1', 2);
    expect(escalations.map((event) => event.data)).toEqual([
      expect.objectContaining({ level: 1, deadline: ackDeadline, escalatedTo: 'shift-lead', reason: 'ack_deadline_missed' }),
      expect.objectContaining({ level: 2, deadline: escalations[0]?.data['nextDeadline'], escalatedTo: 'soc-manager' }),
    ]);

    // Acknowledge the first only: the second keeps escalating, the first never again.
    await acknowledge(first);
    expect((await triage.eventsAbout(first, 'watchfloor.incident.acknowledged.v1'))[0]?.data).toMatchObject({ withinDeadline: false });
    // The level at acknowledgement is final (the row was locked): all its escalations, and no more.
    const { rows } = await triage.sql.query<{ level: number }>('SELECT escalation_level AS level FROM triage.incident WHERE id = $1', [first]);
    const stoppedAt = Number(rows[0]?.level);
    expect(stoppedAt).toBeGreaterThanOrEqual(2);
    await triage.eventsAbout(first, 'watchfloor.incident.escalated.v1', stoppedAt);
    // Once the second (reported just after) has passed the next deadline, the first would have too.
    const secondLevels = (await triage.eventsAbout(second, 'watchfloor.incident.escalated.v1', stoppedAt + 1)).map((event) => event.data['level']);
    expect(secondLevels.slice(0, stoppedAt + 1)).toEqual(Array.from({ length: stoppedAt + 1 }, (_, i) => i + 1));
    const firstLevels = (await triage.events('watchfloor.incident.escalated.v1')).filter((event) => event.data.incidentId === first).map((event) => event.data['level']);
    expect(firstLevels).toEqual(Array.from({ length: stoppedAt }, (_, i) => i + 1));
    await acknowledge(second);
  });
});
