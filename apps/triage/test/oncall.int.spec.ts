import { createTestDatabase, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { Client } from 'pg';
import { OnCallRoster } from '../src/oncall/oncall-roster';
import { type InProcessTriage, startTriageInProcess, testTriageEnv, tokenFor } from './escalation-harness';

interface RotationBody {
  version: number;
  timezone: string;
  shifts: Array<{ assignee: string; start: string; end: string; days?: string[] }>;
  escalation: string[];
  changedBy: { sub: string } | null;
  onCall: { at: string; assignees: string[]; windows: Array<{ assignee: string; start: string; end: string }> };
}

interface Problem {
  status: number;
  code: string;
  errors?: Array<{ field: string; message: string }>;
}

const ELECTION_ROTATION = {
  timezone: 'America/New_York',
  shifts: [
    { assignee: 'dana', start: '07:00', end: '19:00' },
    { assignee: 'nico', start: '19:00', end: '07:00' },
    { assignee: 'eve', start: '2026-11-03T05:00', end: '2026-11-04T03:00' },
  ],
  escalation: ['shift-lead', 'soc-manager'],
};

describe('triage on-call: PUT/GET /v1/oncall', () => {
  let db: TestDatabase;
  let nats: TestNats;
  let triage: InProcessTriage;
  let sql: Client;
  let admin: string;
  let staff: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    nats = await useNats();
    triage = await startTriageInProcess(testTriageEnv(db, nats));
    sql = new Client({ connectionString: db.url });
    await sql.connect();
    admin = await tokenFor('admin', 'ops-admin');
    staff = await tokenFor('triage');
  });
  afterAll(async () => {
    await triage?.close();
    await sql?.end();
    await nats?.cleanup();
    await db?.drop();
  });

  const rotationVersions = async () => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM triage.oncall_rotation')).rows[0]?.n);
  const put = (body: unknown, headers: Record<string, string> = {}, token = admin) => triage.request('PUT', '/v1/oncall', { token, body, headers });

  it('answers an empty rotation, version 0, before an admin has set one', async () => {
    const response = await triage.request('GET', '/v1/oncall', { token: staff });
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"0"');
    const body = (await response.json()) as RotationBody;
    expect(body).toMatchObject({ version: 0, shifts: [], escalation: [], changedBy: null, onCall: { assignees: [] } });
  });

  it('stores a rotation and says who is on call, in local wall-clock time across DST', async () => {
    const response = await put(ELECTION_ROTATION);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(await response.json()).toMatchObject({ version: 1, ...ELECTION_ROTATION, changedBy: { sub: 'ops-admin' } });

    const onCallAt = async (at: string) => {
      const read = await triage.request('GET', `/v1/oncall?at=${encodeURIComponent(at)}`, { token: staff });
      expect(read.status).toBe(200);
      return ((await read.json()) as RotationBody).onCall;
    };
    // 07:00 EDT on the spring-forward day is 11:00Z; 07:00 EST on the fall-back day is 12:00Z.
    expect((await onCallAt('2026-03-08T11:00:00Z')).assignees).toEqual(['dana']);
    expect((await onCallAt('2026-03-08T10:59:00Z')).assignees).toEqual(['nico']);
    expect((await onCallAt('2026-11-01T11:59:00Z')).assignees).toEqual(['nico']);
    expect(await onCallAt('2026-11-01T12:00:00Z')).toEqual({
      at: '2026-11-01T12:00:00.000Z',
      assignees: ['dana'],
      windows: [{ assignee: 'dana', start: '2026-11-01T12:00:00.000Z', end: '2026-11-02T00:00:00.000Z' }],
    });
    // Election day: the surge shift joins whoever the weekly rotation has on.
    expect((await onCallAt('2026-11-03T15:00:00Z')).assignees).toEqual(['dana', 'eve']);
  });

  it('refuses callers without the role: PUT needs admin, GET needs triage', async () => {
    expect((await put(ELECTION_ROTATION, {}, staff)).status).toBe(403);
    expect((await triage.request('GET', '/v1/oncall', { token: await tokenFor('official') })).status).toBe(403);
    expect((await triage.request('GET', '/v1/oncall')).status).toBe(401);
    expect((await triage.request('GET', '/v1/oncall', { token: admin })).status).toBe(200);
  });

  it.each([
    ['a zone that is not IANA', { ...ELECTION_ROTATION, timezone: 'Eastern' }, 'timezone'],
    ['a dated shift ending before it starts', { ...ELECTION_ROTATION, shifts: [{ assignee: 'a', start: '2026-11-03T19:00', end: '2026-11-03T07:00' }] }, 'shifts[0].end'],
    ['an impossible time', { ...ELECTION_ROTATION, shifts: [ELECTION_ROTATION.shifts[0], { assignee: 'a', start: '25:00', end: '07:00' }] }, 'shifts[1].start'],
    ['an unknown day', { ...ELECTION_ROTATION, shifts: [{ assignee: 'a', start: '07:00', end: '19:00', days: ['monday'] }] }, 'shifts[0].days'],
    ['a blank assignee', { ...ELECTION_ROTATION, shifts: [{ assignee: '  ', start: '07:00', end: '19:00' }] }, 'shifts[0].assignee'],
    ['no shifts at all', { ...ELECTION_ROTATION, shifts: [] }, 'shifts'],
    ['a repeated escalation contact', { ...ELECTION_ROTATION, escalation: ['lead', 'lead'] }, 'escalation'],
    ['an unknown field', { ...ELECTION_ROTATION, owner: 'me' }, 'owner'],
    ['a missing field', { timezone: 'UTC', shifts: ELECTION_ROTATION.shifts }, 'escalation'],
  ])('400 naming the field for %s, and nothing stored', async (_case, body, field) => {
    const before = await rotationVersions();
    const response = await put(body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as Problem;
    expect(problem.code).toBe('REQUEST.VALIDATION');
    expect(problem.errors?.map((error) => error.field)).toContain(field);
    expect(await rotationVersions()).toBe(before);
  });

  it('honours If-Match: the current version saves, a stale one is 412, a malformed one 400', async () => {
    const current = Number((await triage.request('GET', '/v1/oncall', { token: staff })).headers.get('etag')?.replaceAll('"', ''));
    const saved = await put(ELECTION_ROTATION, { 'if-match': `"${current}"` });
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe(`"${current + 1}"`);

    const before = await rotationVersions();
    const stale = await put(ELECTION_ROTATION, { 'if-match': `"${current}"` });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as Problem).code).toBe('ONCALL.STALE_VERSION');
    const malformed = await put(ELECTION_ROTATION, { 'if-match': 'yesterday' });
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as Problem).errors?.[0]?.field).toBe('If-Match');
    expect(await rotationVersions()).toBe(before);
  });

  it('two concurrent saves with the same If-Match: exactly one wins', async () => {
    const current = (await triage.request('GET', '/v1/oncall', { token: staff })).headers.get('etag') ?? '';
    const outcomes = await Promise.all([put(ELECTION_ROTATION, { 'if-match': current }), put(ELECTION_ROTATION, { 'if-match': current })]);
    expect(outcomes.map((response) => response.status).sort()).toEqual([200, 412]);
  });

  it('documents both verbs in the OpenAPI document, with the rotation schema', async () => {
    const document = (await (await triage.request('GET', '/docs/json')).json()) as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(Object.keys(document.paths['/v1/oncall'] ?? {})).toEqual(expect.arrayContaining(['get', 'put']));
    expect(Object.keys(document.components.schemas['RotationDto']?.properties ?? {})).toEqual(expect.arrayContaining(['timezone', 'shifts', 'escalation']));
  });

  describe('OnCallRoster across two triage replicas on one database', () => {
    let second: InProcessTriage;
    beforeAll(async () => {
      second = await startTriageInProcess(testTriageEnv(db, nats));
    });
    afterAll(async () => {
      await second?.close();
    });

    it('assigns round robin over whoever is on call, the turn shared by both replicas', async () => {
      const saved = await put({
        timezone: 'America/New_York',
        shifts: [
          { assignee: 'ana', start: '00:00', end: '24:00' },
          { assignee: 'ben', start: '00:00', end: '24:00' },
          { assignee: 'cy', start: '2026-11-03T00:00', end: '2026-11-04T00:00' },
        ],
        escalation: ['lead', 'manager'],
      });
      expect(saved.status).toBe(200);
      const rosters = [triage.app.app.get(OnCallRoster, { strict: false }), second.app.app.get(OnCallRoster, { strict: false })] as const;
      const replica = (i: number) => rosters[i % 2 === 0 ? 0 : 1];
      const electionDay = new Date('2026-11-03T15:00:00Z');
      const picks = await Promise.all(Array.from({ length: 30 }, (_, i) => replica(i).assigneeFor(electionDay)));
      const tally = picks.reduce<Record<string, number>>((counts, pick) => ({ ...counts, [String(pick)]: (counts[String(pick)] ?? 0) + 1 }), {});
      expect(tally).toEqual({ ana: 10, ben: 10, cy: 10 });

      // The day after, only the weekly shifts remain: the turn goes on over two people.
      const after = await Promise.all(Array.from({ length: 4 }, (_, i) => replica(i).assigneeFor(new Date('2026-11-05T15:00:00Z'))));
      expect(after.filter((pick) => pick === 'ana')).toHaveLength(2);
      expect(after.filter((pick) => pick === 'ben')).toHaveLength(2);

      expect(await rosters[1].escalationContact(1)).toBe('lead');
      expect(await rosters[1].escalationContact(5)).toBe('manager');
    });

    it('a single person on call is always picked; nobody on call means no assignee', async () => {
      expect((await put({ timezone: 'UTC', shifts: [{ assignee: 'solo', start: '08:00', end: '16:00' }], escalation: [] })).status).toBe(200);
      const roster = second.app.app.get(OnCallRoster, { strict: false });
      expect(await roster.assigneeFor(new Date('2026-11-03T09:00:00Z'))).toBe('solo');
      expect(await roster.assigneeFor(new Date('2026-11-03T17:00:00Z'))).toBeUndefined();
      expect(await roster.escalationContact(1)).toBeUndefined();
    });
  });
});
