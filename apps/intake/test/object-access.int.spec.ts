import { aSourceReference, aSubmission, describeObjectAccess, FULTON, GEORGIA, type CallerClaims } from '@watchfloor/testing';
import { json, type Receipt, startIntake, type IntakeUnderTest } from './harness';

/**
 * Object- and property-level authorization of intake (OWASP API1, API3): who reaches which
 * incident through its `:id` routes, and which fields no body may set. docs/security.md.
 */
const COBB = `${GEORGIA}/county:cobb`;
const MADISON = 'ocd-division/country:us/state:wi/place:madison';
const official = (sub: string, jurisdiction: string, clearance: CallerClaims['clearance'] = 'amber'): CallerClaims => ({ role: 'official', sub, jurisdiction, clearance, org: `${sub}-office` });

const callers = {
  fultonClerk: official('fulton-clerk', FULTON),
  // Reported the red incident, cleared only for amber: a submitter always follows what they sent.
  fultonReporterOfRed: official('fulton-reporter', FULTON),
  fultonColleague: official('fulton-colleague', FULTON),
  fultonColleagueRed: official('fulton-colleague-red', FULTON, 'red'),
  cobbClerk: official('cobb-clerk', COBB, 'red'),
  // "county:ful" is a string prefix of "county:fulton" but not a jurisdiction containing it.
  fulPrefix: official('ful-clerk', `${GEORGIA}/county:ful`, 'red'),
  georgiaDirector: official('ga-director', GEORGIA),
  georgiaDirectorRed: official('ga-director-red', GEORGIA, 'red'),
  national: official('national-desk', 'ocd-division/country:us'),
  wisconsinOfficial: official('wi-director', 'ocd-division/country:us/state:wi', 'red'),
  georgiaSensor: { role: 'automation', sub: 'ga-sensor', jurisdiction: GEORGIA, clearance: 'amber', org: 'ga-soc' },
  georgiaSensorGreen: { role: 'automation', sub: 'ga-sensor-green', jurisdiction: GEORGIA, clearance: 'green', org: 'ga-soc' },
  pennsylvaniaSoar: { role: 'automation', sub: 'pa-soar', jurisdiction: 'ocd-division/country:us/state:pa', clearance: 'red', org: 'pa-soc' },
  triageAmber: { role: 'triage', sub: 'triage-amber', clearance: 'amber' },
  admin: { role: 'admin', sub: 'operator', clearance: 'clear' },
} satisfies Record<string, CallerClaims>;

const GET = 'GET /v1/incidents/:id';
const UPDATE = 'POST /v1/incidents/:id/updates';

describe('intake: object- and property-level authorization', () => {
  let intake: IntakeUnderTest;
  const tokenOf = (name: keyof typeof callers) => intake.token(callers[name]);
  const submit = async (as: keyof typeof callers, body: object) => {
    const response = await intake.request('POST', '/v1/incidents', { token: await tokenOf(as), body });
    if (response.status !== 201) throw new Error(`submission refused: ${response.status} ${await response.text()}`);
    return (await json<Receipt>(response)).id;
  };
  /** Every incident row, its updates and the outbox: what a refused request must leave as it was. */
  const state = async () => ({
    counts: await intake.counts(),
    incidents: (await intake.sql.query('SELECT id, version, tlp, jurisdiction, submission, submitted_by, status, priority FROM intake.incident ORDER BY id')).rows,
    updates: (await intake.sql.query('SELECT id, incident_id FROM intake.incident_update ORDER BY id')).rows,
  });

  beforeAll(async () => {
    intake = await startIntake({ RATE_LIMIT_PER_MINUTE: '100000' });
  });
  afterAll(() => intake?.close());

  describeObjectAccess('intake', {
    callers,
    async setUp() {
      const objects = {
        amberFulton: await submit('fultonClerk', aSubmission({ tlp: 'amber' })),
        redFulton: await submit('fultonReporterOfRed', aSubmission({ tlp: 'red', title: 'Results laptop beaconing out' })),
        amberMadison: await submit('wisconsinOfficial', aSubmission({ jurisdiction: MADISON, tlp: 'amber' })),
      };
      return { url: intake.url, objects, state, close: async () => undefined };
    },
    bodies: { [UPDATE]: { note: 'Two more poll workers clicked the link.', observables: [{ type: 'domain', value: 'sos-georgia-login.com' }] } },
    cases: [
      // Another county, another state, a jurisdiction that is only a string prefix, another state's automation.
      ...(['cobbClerk', 'fulPrefix', 'wisconsinOfficial', 'pennsylvaniaSoar'] as const).flatMap((as) => [
        { route: GET, object: 'amberFulton', as, expect: 404 },
        { route: UPDATE, object: 'amberFulton', as, expect: 404 },
      ]),
      { route: GET, object: 'amberMadison', as: 'georgiaDirectorRed', expect: 404, because: 'another state' },
      { route: UPDATE, object: 'amberMadison', as: 'georgiaDirectorRed', expect: 404, because: 'another state' },
      // In the jurisdiction, below the label.
      { route: GET, object: 'redFulton', as: 'fultonColleague', expect: 404, because: 'amber clearance, red label' },
      { route: UPDATE, object: 'redFulton', as: 'fultonColleague', expect: 404, because: 'amber clearance, red label' },
      { route: GET, object: 'redFulton', as: 'georgiaDirector', expect: 404, because: 'parent state, amber clearance' },
      { route: UPDATE, object: 'redFulton', as: 'georgiaDirector', expect: 404, because: 'parent state, amber clearance' },
      { route: GET, object: 'amberFulton', as: 'georgiaSensorGreen', expect: 404, because: 'green clearance' },
      { route: UPDATE, object: 'amberFulton', as: 'georgiaSensorGreen', expect: 404, because: 'green clearance' },

      { route: GET, object: 'amberFulton', as: 'fultonClerk', expect: 200 },
      { route: GET, object: 'amberFulton', as: 'fultonColleague', expect: 200 },
      { route: GET, object: 'amberFulton', as: 'georgiaDirector', expect: 200, because: 'the parent state contains the county' },
      { route: GET, object: 'amberFulton', as: 'national', expect: 200, because: 'the country contains every state' },
      { route: GET, object: 'amberFulton', as: 'georgiaSensor', expect: 200 },
      { route: GET, object: 'redFulton', as: 'fultonReporterOfRed', expect: 200, because: 'its submitter, whatever its label' },
      { route: GET, object: 'redFulton', as: 'fultonColleagueRed', expect: 200 },
      { route: GET, object: 'redFulton', as: 'georgiaDirectorRed', expect: 200 },
      { route: GET, object: 'redFulton', as: 'triageAmber', expect: 200, because: 'triage sees every incident' },
      { route: GET, object: 'redFulton', as: 'admin', expect: 200 },
      { route: UPDATE, object: 'amberFulton', as: 'fultonClerk', expect: 201 },
      { route: UPDATE, object: 'amberFulton', as: 'georgiaDirector', expect: 201 },
      { route: UPDATE, object: 'amberFulton', as: 'georgiaSensor', expect: 201 },
      { route: UPDATE, object: 'redFulton', as: 'fultonReporterOfRed', expect: 201 },
      { route: UPDATE, object: 'redFulton', as: 'georgiaDirectorRed', expect: 201 },
    ],
    notObjects: { 'DELETE /v1/exercises/:exercise': 'an exercise name, purged by admins only (docs/exercises.md)' },
  });

  describe('property level (OWASP API3)', () => {
    type Problem = { code: string; errors?: Array<{ field: string }> };
    let amberIncident: string;
    beforeAll(async () => {
      amberIncident = await submit('fultonClerk', aSubmission());
    });

    // What intake or triage decides, never the submitter: refused by name, nothing stored.
    it.each([
      ['id', 'f0f0f0f0-0000-7000-8000-000000000000'],
      ['reference', 'WF-2026-000001'],
      ['status', 'resolved'],
      ['priority', 'low'],
      ['score', 0],
      ['version', 99],
      ['submittedBy', { sub: 'someone-else', org: 'other-office' }],
      ['receivedAt', '2020-01-01T00:00:00.000Z'],
      ['acknowledgedAt', '2020-01-01T00:00:00.000Z'],
      ['history', []],
      ['owner', 'someone-else'],
      ['org', 'other-office'],
    ])('a submission setting %s is refused with 400 naming it', async (field, value) => {
      const before = await state();
      const response = await intake.request('POST', '/v1/incidents', { token: await tokenOf('fultonClerk'), body: { ...aSubmission(), [field]: value } });
      expect(response.status).toBe(400);
      expect((await json<Problem>(response)).errors?.map((e) => e.field)).toEqual([field]);
      expect(await state()).toEqual(before);
    });

    it.each([
      ['reporter.clearance', { reporter: { ...aSubmission().reporter, clearance: 'red' } }],
      ['impacts.score', { impacts: { ...aSubmission().impacts, score: 100 } }],
      ['source.owner', { source: { ...aSourceReference(), owner: 'someone-else' } }],
    ])('a submission setting the nested %s is refused with 400 naming it', async (field, overrides) => {
      const before = await state();
      const response = await intake.request('POST', '/v1/incidents', { token: await tokenOf('fultonClerk'), body: { ...aSubmission(), ...overrides } });
      expect(response.status).toBe(400);
      expect((await json<Problem>(response)).errors?.map((e) => e.field)).toEqual([field]);
      expect(await state()).toEqual(before);
    });

    it('a submission for a jurisdiction outside the caller\'s is 403 and stores nothing', async () => {
      const before = await state();
      const response = await intake.request('POST', '/v1/incidents', { token: await tokenOf('fultonClerk'), body: aSubmission({ jurisdiction: COBB }) });
      expect(response.status).toBe(403);
      expect((await json<Problem>(response)).code).toBe('INCIDENT.JURISDICTION_FORBIDDEN');
      expect(await state()).toEqual(before);
    });

    // An update adds information; what the incident is (label, place, title, lifecycle) it cannot change.
    it.each([
      ['tlp', 'clear'],
      ['jurisdiction', COBB],
      ['title', 'Nothing happened'],
      ['category', 'other'],
      ['status', 'closed'],
      ['priority', 'baseline'],
      ['version', 1],
      ['reporter', { name: 'Someone Else' }],
      ['submittedBy', { sub: 'someone-else' }],
      ['source', aSourceReference()],
      ['exercise', 'tabletop-1'],
    ])('an update setting %s is refused with 400 naming it, the incident unchanged', async (field, value) => {
      const before = await state();
      const response = await intake.request('POST', `/v1/incidents/${amberIncident}/updates`, {
        token: await tokenOf('fultonClerk'),
        body: { note: 'More information.', [field]: value },
      });
      expect(response.status).toBe(400);
      expect((await json<Problem>(response)).errors?.map((e) => e.field)).toEqual([field]);
      expect(await state()).toEqual(before);
    });

    it('the list shows a caller only what it may read, and no reporter in any item', async () => {
      const red = await submit('fultonReporterOfRed', aSubmission({ tlp: 'red' }));
      const list = async (as: keyof typeof callers) =>
        json<{ items: Array<Record<string, unknown>> }>(intake.request('GET', '/v1/incidents?limit=200', { token: await tokenOf(as) }));
      const director = await list('georgiaDirector');
      expect(director.items.map((item) => item.id)).toContain(amberIncident);
      expect(director.items.map((item) => item.id)).not.toContain(red);
      expect(director.items.every((item) => item.tlp !== 'red')).toBe(true);
      expect(director.items.some((item) => 'reporter' in item || 'submittedBy' in item)).toBe(false);
      expect((await list('wisconsinOfficial')).items.map((item) => item.jurisdiction).every((j) => String(j).startsWith('ocd-division/country:us/state:wi'))).toBe(true);
      const elsewhere = await intake.request('GET', `/v1/incidents?jurisdiction=${encodeURIComponent(MADISON)}`, { token: await tokenOf('georgiaDirectorRed') });
      expect(elsewhere.status).toBe(403);
    });

    it('a re-submission of a source reference the caller may not read neither shows nor changes the incident (409)', async () => {
      // A Fulton sensor cleared for red reports a red incident under its own case id.
      const source = aSourceReference('fulton-edr');
      const sensor: CallerClaims = { role: 'automation', sub: 'fulton-edr', jurisdiction: FULTON, clearance: 'red', org: 'fulton-it' };
      const created = await intake.request('POST', '/v1/incidents', { token: await intake.token(sensor), body: aSubmission({ tlp: 'red', source, title: 'EDR: beacon from results laptop' }) });
      expect(created.status).toBe(201);
      const before = await state();
      // A Georgia automation of the same organisation (a source reference is its organisation's),
      // cleared for amber, sends the same source: it acts for Fulton, but may not read red.
      const colleague: CallerClaims = { ...callers.georgiaSensor, sub: 'fulton-it-ga', org: 'fulton-it' };
      const probe = await intake.request('POST', '/v1/incidents', {
        token: await intake.token(colleague),
        body: aSubmission({ tlp: 'clear', source, title: 'Nothing to see', observables: [{ type: 'domain', value: 'probe-lure.com' }] }),
      });
      const answer = await probe.text();
      expect({ status: probe.status, code: (JSON.parse(answer) as Problem).code }).toEqual({ status: 409, code: 'INCIDENT.SOURCE_REFERENCE_CONFLICT' });
      expect(answer).not.toContain('beacon');
      expect(await state()).toEqual(before);

      // The same re-submission by a colleague cleared for red is the same incident (200), as before.
      const cleared = await intake.request('POST', '/v1/incidents', { token: await intake.token({ ...colleague, sub: 'fulton-it-ga-red', clearance: 'red' }), body: aSubmission({ tlp: 'red', source, title: 'EDR: beacon from results laptop' }) });
      expect(cleared.status).toBe(200);
    });
  });
});
