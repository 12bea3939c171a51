import { reportedEvent } from './events';
import { json, startTriage, type TriageUnderTest } from './harness';

describe('triage: new incidents go to whoever is on call', () => {
  let triage: TriageUnderTest;

  beforeAll(async () => {
    triage = await startTriage();
  });
  afterAll(async () => {
    await triage?.close();
  });

  it('unassigned while nobody is on call; then round robin over two on call at once, by the oncall_rotation rule', async () => {
    const before = reportedEvent({ observables: [] });
    await triage.publish(before);
    const [triaged] = await triage.eventsAbout(before.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(triaged?.data.version).toBe(1);

    const admin = await triage.token({ role: 'admin' });
    const put = await triage.request('PUT', '/v1/oncall', {
      token: admin,
      body: {
        timezone: 'America/New_York',
        shifts: [
          { assignee: 'officer-ana', start: '00:00', end: '24:00' },
          { assignee: 'officer-bo', start: '00:00', end: '24:00' },
        ],
        escalation: ['lead-cy'],
      },
    });
    expect(put.status).toBe(200);

    const reports = Array.from({ length: 4 }, () => reportedEvent({ observables: [] }));
    const assignees: string[] = [];
    for (const report of reports) {
      await triage.publish(report);
      const [assigned] = await triage.eventsAbout(report.data.incidentId, 'watchfloor.incident.assigned.v1');
      expect(assigned?.data).toMatchObject({ version: 2, by: { kind: 'system', rule: 'oncall_rotation' } });
      assignees.push(assigned?.data.assignee as string);
    }
    expect(new Set(assignees)).toEqual(new Set(['officer-ana', 'officer-bo']));
    expect(assignees.filter((a) => a === 'officer-ana')).toHaveLength(2);

    const token = await triage.token();
    const first = reports[0];
    if (!first) throw new Error('no report');
    const detail = await json<{ assignee: string; timeline: Array<{ type: string }> }>(triage.request('GET', `/v1/incidents/${first.data.incidentId}`, { token }));
    expect(detail.assignee).toBe(assignees[0]);
    expect(detail.timeline.map((t) => t.type)).toEqual(['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1', 'watchfloor.incident.assigned.v1']);
    await triage.settled(5);
    expect(await triage.events('watchfloor.incident.assigned.v1').then((all) => all.filter((e) => e.data.incidentId === before.data.incidentId))).toHaveLength(0);
  });
});
