import { aSourceReference, aSubmission, expectEventually, GEORGIA } from '@watchfloor/testing';
import { eventOf, type IntakeUnderTest, json, type Receipt, startIntake } from './harness';

const EXERCISE = 'ga-tabletop-2026-10';

describe('intake: exercise reports (docs/exercises.md)', () => {
  let intake: IntakeUnderTest;
  let official: string;

  beforeAll(async () => {
    intake = await startIntake();
    official = await intake.token({ sub: 'clerk-fulton', jurisdiction: GEORGIA, org: 'fulton-elections' });
  });
  afterAll(() => intake.close());

  const submit = (body: unknown) => intake.request('POST', '/v1/incidents', { token: official, body });
  const listIds = async (query = '') => (await json<{ items: Array<{ id: string; exercise?: string }> }>(intake.request('GET', `/v1/incidents${query}`, { token: official }))).items;

  it('refuses an exercise id that is not one, naming the field, and writes nothing', async () => {
    const before = await intake.counts();
    const response = await submit(aSubmission({ exercise: 'GA tabletop!' }));
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['exercise']);
    expect(await intake.counts()).toEqual(before);
  });

  it('refuses to purge an exercise id that is not one, naming the field, and purges nothing', async () => {
    const admin = await intake.token({ role: 'admin' });
    const before = await intake.counts();
    const response = await intake.request('DELETE', `/v1/exercises/${encodeURIComponent('GA tabletop!')}`, { token: admin });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['exercise']);
    expect(await intake.counts()).toEqual(before);
  });

  it('marks the report and its event, keeps it out of the real list, keeps its exercise on re-submission, and purges it with a record', async () => {
    const source = aSourceReference();
    const drill = await json<Receipt & { exercise?: string }>(submit(aSubmission({ exercise: EXERCISE, source })));
    const real = await json<Receipt & { exercise?: string }>(submit(aSubmission()));
    // The receipt says which it is, as everything of an exercise does.
    expect([drill.exercise, real.exercise]).toEqual([EXERCISE, undefined]);
    const message = await expectEventually(async () => {
      const found = (await intake.streamMessages()).find((m) => eventOf(m).subject === drill.id);
      if (!found) throw new Error('incident.reported not on the stream yet');
      return found;
    });
    expect(message.header?.get('exercise')).toBe(EXERCISE);
    expect(eventOf(message)).toMatchObject({ exercise: EXERCISE, data: { submission: { exercise: EXERCISE } } });

    expect((await listIds()).map((i) => i.id)).toEqual([real.id]);
    expect(await listIds(`?exercise=${EXERCISE}`)).toEqual([expect.objectContaining({ id: drill.id, exercise: EXERCISE })]);
    expect(await json<{ exercise?: string }>(intake.request('GET', `/v1/incidents/${drill.id}`, { token: official }))).toMatchObject({ exercise: EXERCISE });

    const turnedReal = await submit(aSubmission({ source }));
    expect(turnedReal.status).toBe(422);
    expect(await turnedReal.json()).toMatchObject({ code: 'INCIDENT.EXERCISE_MISMATCH', errors: [{ field: 'exercise' }] });

    expect((await intake.request('DELETE', `/v1/exercises/${EXERCISE}`, { token: official })).status).toBe(403);
    const admin = await intake.token({ role: 'admin' });
    const purge = await intake.request('DELETE', `/v1/exercises/${EXERCISE}`, { token: admin });
    expect(purge.status).toBe(200);
    expect(await purge.json()).toMatchObject({ exercise: EXERCISE, service: 'intake', removed: { incidents: 1 }, incidentIds: [drill.id] });
    expect((await intake.request('GET', `/v1/incidents/${drill.id}`, { token: official })).status).toBe(404);
    expect((await intake.request('GET', `/v1/incidents/${real.id}`, { token: official })).status).toBe(200);
    const { rows } = await intake.sql.query(`SELECT (SELECT count(*) FROM intake.incident WHERE exercise IS NOT NULL) AS incidents, (SELECT count(*) FROM intake.outbox WHERE headers->>'exercise' = $1) AS outbox`, [EXERCISE]);
    // The purge's own event is the exercise's only outbox row left.
    expect(rows[0]).toEqual({ incidents: '0', outbox: '1' });
    await expectEventually(async () => {
      const purged = (await intake.streamMessages()).map(eventOf).filter((e) => e.type === 'watchfloor.exercise.purged.v1');
      expect(purged.map((e) => e.subject)).toEqual([EXERCISE]);
    });
  });
});
