import { createEvent, normalizeSubmission, OCD_ID_ROOT } from '@watchfloor/contracts';
import { aSubmission, FULTON } from '@watchfloor/testing';
import { uuidv7 } from 'uuidv7';
import { json, startAudit, type AuditUnderTest } from './harness';

const EXERCISE = 'ga-tabletop-2026-10';

describe('audit: an exercise stays in the chain, marked, and its purge is recorded (docs/exercises.md)', () => {
  let audit: AuditUnderTest;

  beforeAll(async () => {
    audit = await startAudit();
  });
  afterAll(async () => {
    await audit?.close();
  });

  it('records the exercise events and the purge, shows the exercise on each entry, and the chain verifies', async () => {
    const incidentId = uuidv7();
    const meta = (source: string, subject = incidentId) => ({ source: `/watchfloor/${source}`, subject, tlp: 'amber' as const, jurisdiction: FULTON, correlationId: `req-${incidentId}` });
    const submission = normalizeSubmission(aSubmission({ exercise: EXERCISE }));
    const at = new Date().toISOString();
    await audit.publish([
      createEvent('watchfloor.incident.reported.v1', { incidentId, version: 1, reference: 'WF-2026-000077', submission, submittedBy: { sub: 'official-7' }, receivedAt: at }, meta('intake')),
      createEvent('watchfloor.incident.assigned.v1', { incidentId, version: 2, assignee: 'exercise-officer', by: { kind: 'system', rule: 'oncall_rotation' }, exercise: EXERCISE }, meta('triage')),
      createEvent(
        'watchfloor.exercise.purged.v1',
        { exercise: EXERCISE, service: 'triage', removed: { incidents: 1, rotations: 1, clusters: 0 }, incidentIds: [incidentId], by: { kind: 'user', sub: 'admin-1' }, purgedAt: at },
        { ...meta('triage', EXERCISE), jurisdiction: OCD_ID_ROOT },
      ),
    ]);
    await audit.waitForEntries(3);

    const auditor = await audit.token({ roles: ['auditor'], clearance: 'amber' });
    const timeline = await json<{ items: Array<{ type: string; exercise?: string; actor: string }> }>(audit.request('GET', `/v1/audit/incidents/${incidentId}/timeline`, { token: auditor }));
    expect(timeline.items.map((entry) => [entry.type, entry.exercise, entry.actor])).toEqual([
      ['watchfloor.incident.reported.v1', EXERCISE, 'official-7'],
      ['watchfloor.incident.assigned.v1', EXERCISE, 'system:oncall_rotation'],
      ['watchfloor.exercise.purged.v1', EXERCISE, 'admin-1'],
    ]);
    expect(await json(audit.request('GET', '/v1/audit/verify', { token: auditor }))).toMatchObject({ valid: true, entries: 3 });
  });
});
