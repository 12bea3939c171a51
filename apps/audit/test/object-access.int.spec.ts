import { randomUUID } from 'node:crypto';
import { createEvent, type AnyEvent } from '@watchfloor/contracts';
import { describeObjectAccess, FULTON, type CallerClaims } from '@watchfloor/testing';
import { json, startAudit, type AuditUnderTest } from './harness';
import { anIncidentFlow } from './incident-flow';

/**
 * Object- and property-level authorization of audit (OWASP API1, API3): an incident's
 * timeline is 404 when its report is above the caller's clearance; an entry whose event is
 * above it keeps its place and hashes but its event is withheld, in every read
 * (docs/audit.md). docs/security.md.
 */
const RED_NOTE = 'The intruder used the vendor remote-support account.';
const callers = {
  auditorRed: { role: 'auditor', sub: 'inspector-red', clearance: 'red' },
  auditorAmber: { role: 'auditor', sub: 'inspector-amber', clearance: 'amber' },
  auditorGreen: { role: 'auditor', sub: 'inspector-green', clearance: 'green' },
  officerAmber: { role: 'triage', sub: 'officer-amber', clearance: 'amber' },
  officerRed: { role: 'triage', sub: 'officer-red', clearance: 'red' },
  adminAmber: { role: 'admin', sub: 'operator', clearance: 'amber' },
} satisfies Record<string, CallerClaims>;
const TIMELINE = 'GET /v1/audit/incidents/:id/timeline';

type Entry = { type: string; tlp: string; withheld: boolean; event: unknown; hash: string };

describe('audit: object- and property-level authorization', () => {
  let audit: AuditUnderTest;
  const amberFlow = anIncidentFlow({ tlp: 'amber' });
  const redFlow = anIncidentFlow({ tlp: 'red' });
  const amberId = amberFlow[0]?.subject ?? '';
  const redId = redFlow[0]?.subject ?? '';
  // Triage notes carry their own label: a red note on an amber incident.
  const redNote: AnyEvent = createEvent(
    'watchfloor.incident.note_added.v1',
    { incidentId: amberId, version: 9, noteId: randomUUID(), author: { sub: 'officer-red' }, text: RED_NOTE, tlp: 'red' },
    { source: '/watchfloor/triage', subject: amberId, tlp: 'red', jurisdiction: FULTON, correlationId: randomUUID() },
  );
  // Only in the red report: must never reach a reader below red.
  const redTitle = 'Results laptop beaconing to an exfiltration host';
  (redFlow[0] as { data: { submission: { title: string } } }).data.submission.title = redTitle;
  const as = (name: keyof typeof callers) => audit.token(callers[name]);
  /** The chain: a read changes nothing, but the table checks it anyway. */
  const state = async () => (await audit.sql.query('SELECT count(*)::int AS n, max(sequence) AS head FROM audit.entry')).rows;

  beforeAll(async () => {
    audit = await startAudit();
    await audit.publish([...amberFlow, ...redFlow, redNote]);
    await audit.waitForEntries(amberFlow.length + redFlow.length + 1);
  });
  afterAll(() => audit?.close());

  describeObjectAccess('audit', {
    callers,
    setUp: async () => ({ url: audit.url, objects: { amber: amberId, red: redId }, state, close: async () => undefined }),
    cases: [
      { route: TIMELINE, object: 'red', as: 'auditorAmber', expect: 404, because: 'its report is red' },
      { route: TIMELINE, object: 'red', as: 'officerAmber', expect: 404, because: 'its report is red' },
      { route: TIMELINE, object: 'red', as: 'adminAmber', expect: 404, because: 'admins too read within their clearance' },
      { route: TIMELINE, object: 'amber', as: 'auditorGreen', expect: 404, because: 'its report is amber' },
      { route: TIMELINE, object: 'amber', as: 'auditorAmber', expect: 200 },
      { route: TIMELINE, object: 'amber', as: 'officerAmber', expect: 200 },
      { route: TIMELINE, object: 'red', as: 'auditorRed', expect: 200 },
      { route: TIMELINE, object: 'red', as: 'officerRed', expect: 200 },
    ],
  });

  describe('property level (OWASP API3)', () => {
    const timeline = async (name: keyof typeof callers, id: string) => json<{ items: Entry[] }>(audit.request('GET', `/v1/audit/incidents/${id}/timeline?limit=200`, { token: await as(name) }));

    it('an amber reader sees an amber timeline with the red note and the AMBER+STRICT note withheld, hashes kept', async () => {
      const amber = await timeline('auditorAmber', amberId);
      const red = await timeline('auditorRed', amberId);
      expect(amber.items.map((e) => e.hash)).toEqual(red.items.map((e) => e.hash));
      const notes = amber.items.filter((e) => e.type === 'watchfloor.incident.note_added.v1');
      expect(notes.map((e) => ({ tlp: e.tlp, withheld: e.withheld, event: e.event }))).toEqual([
        { tlp: 'amber+strict', withheld: true, event: null },
        { tlp: 'red', withheld: true, event: null },
      ]);
      expect(amber.items.filter((e) => e.tlp === 'amber').every((e) => !e.withheld && e.event !== null)).toBe(true);
      expect(JSON.stringify(amber)).not.toContain(RED_NOTE);
      expect(JSON.stringify(red)).toContain(RED_NOTE);
    });

    it('the log and the export withhold every red event from an amber auditor', async () => {
      const token = await as('auditorAmber');
      const entries = await json<{ items: Entry[] }>(audit.request('GET', `/v1/audit/entries?incidentId=${redId}&limit=200`, { token }));
      expect(entries.items.length).toBeGreaterThan(0);
      expect(entries.items.filter((e) => e.tlp === 'red').every((e) => e.withheld && e.event === null)).toBe(true);
      expect(JSON.stringify(entries)).not.toContain(redTitle);
      const exported = await (await audit.request('GET', '/v1/audit/export?format=jsonl', { token })).text();
      expect(exported).toContain(redId);
      expect(exported).not.toContain(redTitle);
      expect(exported).not.toContain(RED_NOTE);
      const csv = await (await audit.request('GET', '/v1/audit/export?format=csv', { token })).text();
      expect(csv).not.toContain(redTitle);
    });

    it.each([
      ['entries', 'clearance'],
      ['entries', 'tlp'],
      ['timeline', 'clearance'],
      ['export', 'withheld'],
    ])('GET the %s refuses a query that asks for %s (400 naming it): clearance is the token\'s', async (what, field) => {
      const path = what === 'timeline' ? `/v1/audit/incidents/${amberId}/timeline` : `/v1/audit/${what}`;
      const response = await audit.request('GET', `${path}?${field}=red`, { token: await as('auditorAmber') });
      expect(response.status).toBe(400);
      expect((await json<{ errors?: Array<{ field: string }> }>(response)).errors?.map((e) => e.field)).toEqual([field]);
    });
  });
});
