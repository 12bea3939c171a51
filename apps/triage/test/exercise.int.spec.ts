import { reportedEvent } from './events';
import { json, startTriage, type TriageUnderTest } from './harness';

const EXERCISE = 'ga-tabletop-2026-10';
const allDay = (assignee: string) => ({ timezone: 'America/New_York', shifts: [{ assignee, start: '00:00', end: '24:00' }], escalation: [`${assignee}-lead`] });

describe('triage: an exercise is kept apart from real work (docs/exercises.md)', () => {
  let triage: TriageUnderTest;

  beforeAll(async () => {
    triage = await startTriage();
  });
  afterAll(async () => {
    await triage?.close();
  });

  it('assigns from the exercise rotation, stays out of the real queue and correlation, and is purged with a record', async () => {
    const admin = await triage.token({ role: 'admin' });
    const staff = await triage.token();
    expect((await triage.request('PUT', '/v1/oncall', { token: admin, body: allDay('real-officer') })).status).toBe(200);
    const exerciseRotation = await json<{ exercise?: string; version: number }>(
      triage.request('PUT', `/v1/oncall?exercise=${EXERCISE}`, { token: admin, body: allDay('exercise-officer') }),
    );
    expect(exerciseRotation).toMatchObject({ exercise: EXERCISE, version: 1 });

    // Same observable: a real report and an exercise report must not form a cluster.
    const observables = [{ type: 'domain' as const, value: 'sos-ga-tabletop-verify.com' }];
    const real = reportedEvent({ observables });
    const drill = reportedEvent({ observables, exercise: EXERCISE });
    await triage.publish(real);
    await triage.publish(drill);
    const [drillAssigned] = await triage.eventsAbout(drill.data.incidentId, 'watchfloor.incident.assigned.v1');
    const [realAssigned] = await triage.eventsAbout(real.data.incidentId, 'watchfloor.incident.assigned.v1');
    expect(drillAssigned).toMatchObject({ exercise: EXERCISE, data: { assignee: 'exercise-officer', exercise: EXERCISE } });
    expect(realAssigned?.data.assignee).toBe('real-officer');
    expect(realAssigned).not.toHaveProperty('exercise');
    await triage.settled(2);
    expect(await triage.events('watchfloor.incident.correlated.v1')).toEqual([]);

    const ids = (page: { items: Array<{ id: string }> }) => page.items.map((item) => item.id);
    const queue = await json<{ items: Array<{ id: string }> }>(triage.request('GET', '/v1/queue', { token: staff }));
    expect(ids(queue)).toEqual([real.data.incidentId]);
    const drillQueue = await json<{ items: Array<{ id: string; exercise?: string }> }>(triage.request('GET', `/v1/queue?exercise=${EXERCISE}`, { token: staff }));
    expect(drillQueue.items).toEqual([expect.objectContaining({ id: drill.data.incidentId, exercise: EXERCISE, assignee: 'exercise-officer' })]);

    const bad = await triage.request('GET', '/v1/queue?exercise=Not%20An%20Id', { token: staff });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(((await bad.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['exercise']);

    const purge = await json<{ removed: Record<string, number>; incidentIds: string[] }>(triage.request('DELETE', `/v1/exercises/${EXERCISE}`, { token: admin }));
    expect(purge).toMatchObject({ removed: { incidents: 1, rotations: 1, clusters: 0 }, incidentIds: [drill.data.incidentId] });
    const { rows } = await triage.sql.query<{ incidents: string; timeline: string; observables: string; rotations: string; outbox: string }>(
      `SELECT (SELECT count(*) FROM triage.incident WHERE id = $1) AS incidents,
              (SELECT count(*) FROM triage.incident_timeline WHERE incident_id = $1) AS timeline,
              (SELECT count(*) FROM triage.incident_observable WHERE incident_id = $1) AS observables,
              (SELECT count(*) FROM triage.oncall_rotation) AS rotations,
              (SELECT count(*) FROM triage.outbox WHERE headers->>'exercise' = $2 AND type <> 'watchfloor.exercise.purged.v1') AS outbox`,
      [drill.data.incidentId, EXERCISE],
    );
    expect(rows[0]).toEqual({ incidents: '0', timeline: '0', observables: '0', rotations: '1', outbox: '0' });
    expect((await triage.request('GET', `/v1/incidents/${drill.data.incidentId}`, { token: staff })).status).toBe(404);
    expect((await triage.request('GET', `/v1/incidents/${real.data.incidentId}`, { token: staff })).status).toBe(200);

    // Repeatable: nothing left to remove, and the second purge is recorded too.
    const again = await json<{ removed: Record<string, number> }>(triage.request('DELETE', `/v1/exercises/${EXERCISE}`, { token: admin }));
    expect(again.removed).toEqual({ incidents: 0, rotations: 0, clusters: 0 });
    await triage.settled(2);
    const purged = await triage.events('watchfloor.exercise.purged.v1');
    expect(purged.map((event) => [event.subject, event.exercise, event.data['service']])).toEqual([
      [EXERCISE, EXERCISE, 'triage'],
      [EXERCISE, EXERCISE, 'triage'],
    ]);
    expect((await triage.request('DELETE', `/v1/exercises/${EXERCISE}`, { token: staff })).status).toBe(403);
  });
});
