import { describeObjectAccess, expectEventually, type CallerClaims } from '@watchfloor/testing';
import { reportedEvent } from './events';
import { json, startTriage, type TriageUnderTest } from './harness';

/**
 * Object- and property-level authorization of triage (OWASP API1, API3). Triage staff see and
 * work every incident (DOMAIN.md); what is scoped per object is the STIX export, which also
 * partners call: within the caller's clearance, AMBER+STRICT only to the operations center and
 * the reporting organisation (docs/triage.md). docs/security.md.
 */
const county = (name: string) => `ocd-division/country:us/state:ga/county:${name}`;
const SHARED = { type: 'ipv4', value: '203.0.113.77' } as const;

const amber = reportedEvent({ jurisdiction: county('fulton'), tlp: 'amber', observables: [] }, { submittedBy: { sub: 'clerk-1', org: 'fulton-elections' } });
const red = reportedEvent({ jurisdiction: county('fulton'), tlp: 'red', observables: [] }, { submittedBy: { sub: 'clerk-1', org: 'fulton-elections' } });
const strict = reportedEvent({ jurisdiction: county('henry'), tlp: 'amber+strict', observables: [] }, { submittedBy: { sub: 'clerk-9', org: 'henry-elections' } });
// Two amber incidents sharing an address: a cluster.
const pair = [reportedEvent({ jurisdiction: county('bibb'), tlp: 'amber', observables: [SHARED] }), reportedEvent({ jurisdiction: county('clarke'), tlp: 'amber', observables: [SHARED] })];

const callers = {
  officerRed: { role: 'triage', sub: 'officer-red', clearance: 'red', org: 'ops-center' },
  officerAmber: { role: 'triage', sub: 'officer-amber', clearance: 'amber', org: 'ops-center' },
  admin: { role: 'admin', sub: 'operator', clearance: 'amber' },
  partnerAmber: { role: 'partner', sub: 'vendor-soar', clearance: 'amber', org: 'vendor-co' },
  partnerGreen: { role: 'partner', sub: 'platform-trust', clearance: 'green', org: 'platform-co' },
  partnerRed: { role: 'partner', sub: 'fusion-center', clearance: 'red', org: 'ga-fusion' },
  henryPartner: { role: 'partner', sub: 'henry-it', clearance: 'amber+strict', org: 'henry-elections' },
  otherStrictPartner: { role: 'partner', sub: 'other-it', clearance: 'amber+strict', org: 'cobb-elections' },
} satisfies Record<string, CallerClaims>;

const STAFF_SEE_ALL = 'triage staff see and work every incident whatever its label (DOMAIN.md roles; docs/triage.md)';

describe('triage: object- and property-level authorization', () => {
  let triage: TriageUnderTest;
  let clusterId: string;
  /** The incidents (versions, lifecycle fields), notes and outbox: what a refused request must leave as it was. */
  const state = async () => {
    await triage.settled(0);
    return {
      incidents: (await triage.sql.query('SELECT id, version, status, priority, assignee, acknowledged_at, tlp FROM triage.incident ORDER BY id')).rows,
      notes: (await triage.sql.query('SELECT id, incident_id, tlp FROM triage.incident_note ORDER BY id')).rows,
      outbox: (await triage.sql.query('SELECT count(*)::int AS n FROM triage.outbox')).rows,
    };
  };

  beforeAll(async () => {
    triage = await startTriage();
    for (const event of [amber, red, strict, ...pair]) await triage.publish(event);
    await triage.settled(5);
    clusterId = await expectEventually(async () => {
      const { rows } = await triage.sql.query<{ cluster_id: string | null }>('SELECT cluster_id FROM triage.incident WHERE id = $1', [pair[1]?.data.incidentId]);
      if (!rows[0]?.cluster_id) throw new Error('no cluster yet');
      return rows[0].cluster_id;
    });
  });
  afterAll(() => triage?.close());

  describeObjectAccess('triage', {
    callers,
    async setUp() {
      const objects = { amber: amber.data.incidentId, red: red.data.incidentId, strict: strict.data.incidentId, cluster: clusterId };
      return { url: triage.url, objects, state, close: async () => undefined };
    },
    bodies: {
      'POST /v1/incidents/:id/assign': { assignee: 'officer-amber' },
      'POST /v1/incidents/:id/status': { to: 'investigating' },
      'POST /v1/incidents/:id/priority': { level: 'high', reason: 'Results night' },
      'POST /v1/incidents/:id/notes': { text: 'Vendor confirms the beacon.', tlp: 'red' },
    },
    cases: [
      // The export leaves Watchfloor: the caller's clearance is its ceiling, staff's too.
      { route: 'GET /v1/incidents/:id/stix', object: 'amber', as: 'partnerGreen', expect: 404, because: 'green clearance' },
      { route: 'GET /v1/incidents/:id/stix', object: 'red', as: 'partnerAmber', expect: 404, because: 'amber clearance' },
      { route: 'GET /v1/incidents/:id/stix', object: 'red', as: 'officerAmber', expect: 404, because: 'staff export within their clearance' },
      { route: 'GET /v1/incidents/:id/stix', object: 'strict', as: 'partnerRed', expect: 404, because: 'AMBER+STRICT: not the reporting organisation' },
      { route: 'GET /v1/incidents/:id/stix', object: 'strict', as: 'otherStrictPartner', expect: 404, because: 'AMBER+STRICT: another organisation' },
      { route: 'GET /v1/clusters/:id/stix', object: 'cluster', as: 'partnerGreen', expect: 404, because: 'no member within green' },
      { route: 'GET /v1/incidents/:id/stix', object: 'amber', as: 'partnerAmber', expect: 200 },
      { route: 'GET /v1/incidents/:id/stix', object: 'red', as: 'partnerRed', expect: 200 },
      { route: 'GET /v1/incidents/:id/stix', object: 'strict', as: 'henryPartner', expect: 200, because: 'the reporting organisation' },
      { route: 'GET /v1/incidents/:id/stix', object: 'strict', as: 'officerAmber', expect: 404, because: 'AMBER+STRICT is above amber' },
      { route: 'GET /v1/incidents/:id/stix', object: 'strict', as: 'officerRed', expect: 200, because: 'the operations center' },
      { route: 'GET /v1/clusters/:id/stix', object: 'cluster', as: 'partnerAmber', expect: 200 },
      // Staff: every incident, whatever its label (an amber officer works a red one).
      { route: 'GET /v1/incidents/:id', object: 'red', as: 'officerAmber', expect: 200 },
      { route: 'GET /v1/clusters/:id', object: 'cluster', as: 'officerAmber', expect: 200 },
      { route: 'POST /v1/incidents/:id/acknowledge', object: 'red', as: 'officerAmber', expect: 200 },
      { route: 'POST /v1/incidents/:id/assign', object: 'red', as: 'officerAmber', expect: 200 },
      { route: 'POST /v1/incidents/:id/status', object: 'red', as: 'officerAmber', expect: 200 },
      { route: 'POST /v1/incidents/:id/priority', object: 'red', as: 'admin', expect: 200 },
      { route: 'POST /v1/incidents/:id/notes', object: 'amber', as: 'officerRed', expect: 201 },
    ],
    unscoped: {
      'GET /v1/incidents/:id': STAFF_SEE_ALL,
      'POST /v1/incidents/:id/acknowledge': STAFF_SEE_ALL,
      'POST /v1/incidents/:id/assign': STAFF_SEE_ALL,
      'POST /v1/incidents/:id/status': STAFF_SEE_ALL,
      'POST /v1/incidents/:id/priority': STAFF_SEE_ALL,
      'POST /v1/incidents/:id/notes': STAFF_SEE_ALL,
      'GET /v1/clusters/:id': STAFF_SEE_ALL,
    },
    notObjects: { 'DELETE /v1/exercises/:exercise': 'an exercise name, purged by admins only (docs/exercises.md)' },
  });

  describe('property level (OWASP API3)', () => {
    type Problem = { code: string; errors?: Array<{ field: string }> };
    const officer = () => triage.token(callers.officerRed);

    // Who acted, when, the version and the computed score are the service's; a body naming them is refused by name.
    it.each([
      ['assign', 'by', { assignee: 'officer-2', by: 'someone-else' }],
      ['assign', 'version', { assignee: 'officer-2', version: 1 }],
      ['status', 'by', { to: 'resolved', resolution: 'benign', by: 'someone-else' }],
      ['status', 'priority', { to: 'resolved', resolution: 'benign', priority: 'baseline' }],
      ['status', 'tlp', { to: 'resolved', resolution: 'benign', tlp: 'clear' }],
      ['status', 'version', { to: 'resolved', resolution: 'benign', version: 99 }],
      ['priority', 'computedPriority', { level: 'baseline', reason: 'quiet', computedPriority: 'baseline' }],
      ['priority', 'score', { level: 'baseline', reason: 'quiet', score: 0 }],
      ['priority', 'by', { level: 'baseline', reason: 'quiet', by: 'someone-else' }],
      ['notes', 'author', { text: 'A note.', author: { sub: 'someone-else' } }],
      ['notes', 'createdAt', { text: 'A note.', createdAt: '2020-01-01T00:00:00.000Z' }],
      ['notes', 'incidentId', { text: 'A note.', incidentId: pair[0]?.data.incidentId }],
    ])('POST .../%s setting %s is refused with 400 naming it, the incident unchanged', async (action, field, body) => {
      const before = await state();
      const response = await triage.request('POST', `/v1/incidents/${amber.data.incidentId}/${action}`, { token: await officer(), body });
      expect(response.status).toBe(400);
      expect((await json<Problem>(response)).errors?.map((e) => e.field)).toEqual([field]);
      expect(await state()).toEqual(before);
    });

    it('an acknowledgement takes no body: who and when are the caller and now, whatever is sent', async () => {
      const target = pair[0]?.data.incidentId as string;
      const response = await triage.request('POST', `/v1/incidents/${target}/acknowledge`, {
        token: await officer(),
        body: { acknowledgedBy: { sub: 'someone-else' }, acknowledgedAt: '2020-01-01T00:00:00.000Z', status: 'closed' },
      });
      expect(response.status).toBe(200);
      const detail = await json<{ status: string; acknowledgedAt: string; acknowledgedBy: { sub: string } }>(response);
      expect(detail.status).toBe('acknowledged');
      expect(detail.acknowledgedBy).toMatchObject({ sub: 'officer-red' });
      expect(Date.parse(detail.acknowledgedAt)).toBeGreaterThan(Date.now() - 60_000);
    });

    it('a STIX export carries no notes, reporter, submitter or assignee, even to a partner cleared for red', async () => {
      const id = red.data.incidentId;
      const staff = await officer();
      const noted = await triage.request('POST', `/v1/incidents/${id}/notes`, { token: staff, body: { text: 'Internal: the vendor named the intruder.', tlp: 'red' } });
      expect(noted.status).toBe(201);
      const bundle = await (await triage.request('GET', `/v1/incidents/${id}/stix`, { token: await triage.token(callers.partnerRed) })).text();
      for (const secret of ['Internal: the vendor named the intruder.', red.data.submission.reporter.email, red.data.submission.reporter.name, 'clerk-1', 'officer-amber']) {
        expect(bundle).not.toContain(secret);
      }
    });
  });
});
