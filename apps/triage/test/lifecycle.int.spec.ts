import type { EventOf } from '@watchfloor/contracts';
import { reportedEvent } from './events';
import { json, startTriage, type TriageUnderTest } from './harness';

type Detail = {
  id: string; version: number; status: string; priority: string; computedPriority: string; assignee: string | null;
  acknowledgedAt: string | null; resolution: string | null; override: { level: string; reason: string } | null;
  scoring: { breakdown: unknown[]; adjustments: Array<{ kind: string }>; guidance?: string };
  notes: Array<{ text: string; tlp: string }>; timeline: Array<{ type: string; version: number }>;
};
type Problem = { status: number; code: string; errors?: Array<{ field: string }> };

describe('triage lifecycle API', () => {
  let triage: TriageUnderTest;
  let token: string;

  beforeAll(async () => {
    triage = await startTriage();
    token = await triage.token({ role: 'triage', sub: 'officer-ana', org: 'eoc' });
  });
  afterAll(async () => {
    await triage?.close();
  });

  /** A freshly triaged incident (version 1, status new). */
  async function anIncident(overrides: Parameters<typeof reportedEvent>[0] = {}): Promise<string> {
    const event = reportedEvent({ observables: [], ...overrides });
    await triage.publish(event);
    await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
    return event.data.incidentId;
  }

  const post = (id: string, action: string, body?: unknown, headers: Record<string, string> = {}) =>
    triage.request('POST', `/v1/incidents/${id}/${action}`, { token, body, headers });

  it('GET shows the breakdown, adjustments, guidance and timeline, with ETag = version; 404 for unknown ids', async () => {
    const id = await anIncident({ category: 'physical_threat', phase: 'election_day', affectedAssets: ['polling_place'] });
    const response = await triage.request('GET', `/v1/incidents/${id}`, { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    const detail = await json<Detail>(response);
    expect(detail).toMatchObject({ id, version: 1, status: 'new', priority: 'severe' });
    expect(detail.scoring.breakdown.length).toBeGreaterThan(0);
    expect(detail.scoring.adjustments.map((a) => a.kind)).toEqual(['phase', 'safety']);
    expect(detail.scoring.guidance).toContain('Call 911');
    expect(detail.timeline.map((t) => t.type)).toEqual(['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1']);

    const missing = await triage.request('GET', '/v1/incidents/0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70', { token });
    expect(missing.status).toBe(404);
    expect((await json<Problem>(missing)).code).toBe('INCIDENT.NOT_FOUND');
    expect((await triage.request('GET', '/v1/incidents/not-a-uuid', { token })).status).toBe(404);
    // UUID-shaped but not one: Postgres would refuse the cast (a 500) if it reached the query.
    expect((await triage.request('GET', `/v1/incidents/${'-'.repeat(36)}`, { token })).status).toBe(404);
  });

  it('only triage staff: an official gets 403, no token 401', async () => {
    const id = await anIncident();
    const official = await triage.token({ role: 'official' });
    expect((await triage.request('GET', `/v1/incidents/${id}`, { token: official })).status).toBe(403);
    expect((await triage.request('POST', `/v1/incidents/${id}/acknowledge`, { token: official })).status).toBe(403);
    expect((await triage.request('GET', `/v1/queue`)).status).toBe(401);
  });

  it('acknowledge: status acknowledged, incident.acknowledged within the deadline; twice is a no-op 200', async () => {
    const id = await anIncident();
    const first = await post(id, 'acknowledge');
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).toBe('"2"');
    const detail = await json<Detail>(first);
    expect(detail.status).toBe('acknowledged');
    expect(detail.acknowledgedAt).not.toBeNull();
    const again = await post(id, 'acknowledge');
    expect(again.status).toBe(200);
    expect((await json<Detail>(again)).version).toBe(2);
    const [acknowledged, ...more] = await triage.eventsAbout(id, 'watchfloor.incident.acknowledged.v1');
    expect(more).toHaveLength(0);
    const data = acknowledged?.data as unknown as EventOf<'watchfloor.incident.acknowledged.v1'>['data'];
    expect(data).toMatchObject({ incidentId: id, version: 2, withinDeadline: true, by: { kind: 'user', sub: 'officer-ana', org: 'eoc' } });
  });

  it('acknowledging an incident resolved without acknowledgement leaves it resolved (200, no event)', async () => {
    const id = await anIncident();
    expect((await post(id, 'status', { to: 'resolved', resolution: 'false_positive' })).status).toBe(200);
    const response = await post(id, 'acknowledge');
    expect(response.status).toBe(200);
    expect(await json<Detail>(response)).toMatchObject({ status: 'resolved', version: 2, acknowledgedAt: null });
    await triage.settled(0);
    expect((await triage.events('watchfloor.incident.acknowledged.v1')).filter((e) => e.data.incidentId === id)).toHaveLength(0);
  });

  it('the whole lifecycle with resolutions and reopen; every step one event carrying the next version', async () => {
    const id = await anIncident();
    expect((await post(id, 'acknowledge')).status).toBe(200);
    for (const body of [
      { to: 'investigating' },
      { to: 'mitigated', note: 'Look-alike domain taken down by the registrar.' },
      { to: 'resolved', resolution: 'mitigated' },
      { to: 'investigating', note: 'A second wave arrived.' },
      { to: 'resolved', resolution: 'contained' },
      { to: 'closed' },
    ]) {
      const response = await post(id, 'status', body);
      expect({ body, status: response.status }).toEqual({ body, status: 200 });
    }
    const changes = await triage.eventsAbout(id, 'watchfloor.incident.status_changed.v1', 6);
    expect(changes.map((e) => [e.data.from, e.data.to, e.data.version])).toEqual([
      ['acknowledged', 'investigating', 3],
      ['investigating', 'mitigated', 4],
      ['mitigated', 'resolved', 5],
      ['resolved', 'investigating', 6],
      ['investigating', 'resolved', 7],
      ['resolved', 'closed', 8],
    ]);
    expect(changes[2]?.data).toMatchObject({ resolution: 'mitigated' });
    const detail = await json<Detail>(triage.request('GET', `/v1/incidents/${id}`, { token }));
    expect(detail).toMatchObject({ status: 'closed', resolution: 'contained', version: 8 });
  });

  it('illegal transitions are 409 INCIDENT.ILLEGAL_TRANSITION and change nothing', async () => {
    const id = await anIncident();
    for (const body of [{ to: 'investigating' }, { to: 'closed' }, { to: 'mitigated' }, { to: 'new' }]) {
      const response = await post(id, 'status', body);
      expect({ body, status: response.status }).toEqual({ body, status: 409 });
      expect((await json<Problem>(response)).code).toBe('INCIDENT.ILLEGAL_TRANSITION');
    }
    await post(id, 'status', { to: 'resolved', resolution: 'false_positive' });
    await post(id, 'status', { to: 'closed' });
    const reopen = await post(id, 'status', { to: 'investigating' });
    expect(reopen.status).toBe(409);
    expect((await json<{ detail: string }>(reopen)).detail).toContain('closed is final');
    const detail = await json<Detail>(triage.request('GET', `/v1/incidents/${id}`, { token }));
    expect(detail).toMatchObject({ status: 'closed', version: 3 });
  });

  it('If-Match: the current version passes; a stale one is 412 and changes nothing; a malformed one is 400', async () => {
    const id = await anIncident();
    expect((await post(id, 'assign', { assignee: 'officer-bo' }, { 'if-match': '"1"' })).status).toBe(200);
    const stale = await post(id, 'acknowledge', undefined, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect((await json<Problem>(stale)).code).toBe('INCIDENT.VERSION_MISMATCH');
    const malformed = await post(id, 'acknowledge', undefined, { 'if-match': 'yesterday' });
    expect(malformed.status).toBe(400);
    expect((await json<Problem>(malformed)).errors?.[0]?.field).toBe('If-Match');
    const detail = await json<Detail>(triage.request('GET', `/v1/incidents/${id}`, { token }));
    expect(detail).toMatchObject({ version: 2, status: 'new', acknowledgedAt: null, assignee: 'officer-bo' });
  });

  it('bad bodies are 400 naming the field, and change nothing', async () => {
    const id = await anIncident();
    const cases: Array<[string, unknown, string]> = [
      ['status', { to: 'resolved' }, 'resolution'],
      ['status', { to: 'investigating', resolution: 'benign' }, 'resolution'],
      ['status', { to: 'done' }, 'to'],
      ['priority', { level: 'high' }, 'reason'],
      ['priority', { level: 'high', reason: '   ' }, 'reason'],
      ['priority', { level: 'urgent', reason: 'because' }, 'level'],
      ['assign', {}, 'assignee'],
      ['notes', { text: 'x', tlp: 'purple' }, 'tlp'],
      ['notes', { text: 'x', extra: true }, 'extra'],
    ];
    for (const [action, body, field] of cases) {
      const response = await post(id, action, body);
      const problem = await json<Problem>(response);
      expect({ action, body, status: response.status, fields: problem.errors?.map((e) => e.field) }).toEqual({ action, body, status: 400, fields: expect.arrayContaining([field]) });
    }
    const detail = await json<Detail>(triage.request('GET', `/v1/incidents/${id}`, { token }));
    expect(detail.version).toBe(1);
    await triage.settled(0);
    expect(await triage.events('watchfloor.incident.status_changed.v1').then((e) => e.filter((x) => x.data.incidentId === id))).toHaveLength(0);
  });

  it('priority override keeps the computed level beside it, with the reason; incident.reprioritized', async () => {
    const id = await anIncident();
    const response = await post(id, 'priority', { level: 'emergency', reason: 'Same actor hit the state portal an hour ago.' });
    expect(response.status).toBe(200);
    const detail = await json<Detail>(response);
    expect(detail).toMatchObject({ priority: 'emergency', computedPriority: 'baseline', override: { level: 'emergency', reason: 'Same actor hit the state portal an hour ago.' } });
    const [event] = await triage.eventsAbout(id, 'watchfloor.incident.reprioritized.v1');
    expect(event?.data).toMatchObject({ from: 'baseline', to: 'emergency', computed: 'baseline', version: 2, by: { kind: 'user', sub: 'officer-ana' } });
    const { rows } = await triage.sql.query('SELECT ack_deadline FROM triage.incident WHERE id = $1', [id]);
    // Baseline had no deadline; an emergency has one (5 minutes).
    expect(rows[0]?.ack_deadline).not.toBeNull();
  });

  it('assign and notes: events with the assignee, previous assignee, author and the note TLP', async () => {
    const id = await anIncident({ tlp: 'green' });
    await post(id, 'assign', { assignee: 'officer-bo' });
    await post(id, 'assign', { assignee: 'officer-cy' });
    const note = await post(id, 'notes', { text: 'Called the county CIO; systems isolated.', tlp: 'red' });
    expect(note.status).toBe(201);
    const assigned = await triage.eventsAbout(id, 'watchfloor.incident.assigned.v1', 2);
    expect(assigned.map((e) => [e.data.assignee, e.data.previousAssignee])).toEqual([['officer-bo', undefined], ['officer-cy', 'officer-bo']]);
    const [noted] = await triage.eventsAbout(id, 'watchfloor.incident.note_added.v1');
    expect(noted?.data).toMatchObject({ text: 'Called the county CIO; systems isolated.', tlp: 'red', author: { sub: 'officer-ana', org: 'eoc' }, version: 4 });
    // The envelope carries the stricter of the note's and the incident's TLP.
    expect(noted?.tlp).toBe('red');
    const detail = await json<Detail>(triage.request('GET', `/v1/incidents/${id}`, { token }));
    expect(detail.notes).toEqual([expect.objectContaining({ text: 'Called the county CIO; systems isolated.', tlp: 'red' })]);
  });

  it('the queue: open incidents by priority then age, with filters and a cursor', async () => {
    const jurisdiction = 'ocd-division/country:us/state:nv/county:clark';
    const low = await anIncident({ jurisdiction, impacts: { functionalImpact: 'minimal_critical', informationImpact: 'no_impact', recoverability: 'regular' } });
    const severe = await anIncident({ jurisdiction, category: 'suspicious_mail' });
    const alsoSevere = await anIncident({ jurisdiction, category: 'physical_threat' });
    const resolved = await anIncident({ jurisdiction, category: 'physical_threat' });
    await post(resolved, 'status', { to: 'resolved', resolution: 'benign' });

    const page = await json<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      triage.request('GET', `/v1/queue?jurisdiction=ocd-division/country:us/state:nv&limit=2`, { token }),
    );
    expect(page.items.map((i) => i.id)).toEqual([severe, alsoSevere]);
    expect(page.nextCursor).not.toBeNull();
    const rest = await json<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      triage.request('GET', `/v1/queue?jurisdiction=ocd-division/country:us/state:nv&limit=2&cursor=${page.nextCursor}`, { token }),
    );
    expect(rest).toEqual({ items: [expect.objectContaining({ id: low })], nextCursor: null });
    await post(low, 'assign', { assignee: 'officer-ana' });
    const mine = await json<{ items: Array<{ id: string }> }>(triage.request('GET', `/v1/queue?assignee=me`, { token }));
    expect(mine.items.map((i) => i.id)).toEqual([low]);
    const unassigned = await json<{ items: Array<{ id: string }> }>(triage.request('GET', `/v1/queue?assignee=none&jurisdiction=${jurisdiction}`, { token }));
    expect(unassigned.items.map((i) => i.id)).toEqual([severe, alsoSevere]);
    const onlyMail = await json<{ items: Array<{ id: string }> }>(triage.request('GET', `/v1/queue?jurisdiction=${jurisdiction}&category=suspicious_mail`, { token }));
    expect(onlyMail.items.map((i) => i.id)).toEqual([severe]);
    const bad = await triage.request('GET', `/v1/queue?priority=urgent&campaign=maybe&cursor=abc`, { token });
    expect(bad.status).toBe(400);
    expect((await json<Problem>(bad)).errors?.map((e) => e.field)).toEqual(expect.arrayContaining(['priority', 'campaign']));
  });

  it('the OpenAPI document lists the staff API', async () => {
    const document = await json<{ paths: Record<string, unknown> }>(triage.request('GET', '/docs/json'));
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/queue', '/v1/incidents/{id}', '/v1/incidents/{id}/acknowledge', '/v1/incidents/{id}/assign', '/v1/incidents/{id}/status',
        '/v1/incidents/{id}/priority', '/v1/incidents/{id}/notes', '/v1/clusters', '/v1/clusters/{id}', '/v1/oncall',
      ]),
    );
  });
});
