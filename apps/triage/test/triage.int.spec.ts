import { randomUUID } from 'node:crypto';
import type { EventOf } from '@watchfloor/contracts';
import { expectEventually } from '@watchfloor/testing';
import { reportedEvent, updatedEvent } from './events';
import { ELECTION_DAY_FIXTURES } from './fixtures/election-day';
import { startTriage, type TriageUnderTest } from './harness';

type Triaged = EventOf<'watchfloor.incident.triaged.v1'>['data'];

describe('triage: every reported incident scored, with its breakdown', () => {
  let triage: TriageUnderTest;

  beforeAll(async () => {
    triage = await startTriage();
  });
  afterAll(async () => {
    await triage?.close();
  });

  it('an election-day set of incidents: each one incident.triaged (version 1) with the level and breakdown worked out by hand', async () => {
    const reported = ELECTION_DAY_FIXTURES.map((fixture) => ({ fixture, event: reportedEvent(fixture.submission) }));
    for (const { event } of reported) await triage.publish(event);

    for (const { fixture, event } of reported) {
      const [triaged] = await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
      const data = triaged?.data as unknown as Triaged;
      expect({ name: fixture.name, priority: data.priority, score: data.score, adjustments: data.adjustments.map((a) => a.kind) }).toEqual({
        name: fixture.name,
        priority: fixture.priority,
        score: fixture.score,
        adjustments: fixture.adjustments,
      });
      expect(data.model).toBe('nciss-notional-1');
      expect(data.version).toBe(1);
      expect(data.phase).toBe(fixture.submission.phase);
      expect(Object.fromEntries(data.breakdown.map((b) => [b.factor, b.contribution]))).toEqual(fixture.contributions);
      expect(triaged?.subject).toBe(event.data.incidentId);
      expect(triaged?.correlationid).toBe(event.correlationid);
      // Baseline has no deadline; every other level has one.
      expect(data.ackDeadline === undefined).toBe(fixture.priority === 'baseline');
    }
  });

  it('stores the score with its inputs and breakdown, and the deadline of its level', async () => {
    const event = reportedEvent({ ...ELECTION_DAY_FIXTURES[5]?.submission, observables: [] });
    const before = Date.now();
    await triage.publish(event);
    await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
    const { rows } = await triage.sql.query(
      'SELECT priority, computed_priority, model, score, breakdown, submission, ack_deadline, status, version FROM triage.incident WHERE id = $1',
      [event.data.incidentId],
    );
    const row = rows[0];
    expect(row).toMatchObject({ priority: 'emergency', computed_priority: 'emergency', model: 'nciss-notional-1', score: 98.71, status: 'new', version: 1 });
    expect(row.submission.impacts).toEqual(event.data.submission.impacts);
    expect(row.breakdown).toHaveLength(7);
    // Emergency: 5 minutes (DOMAIN.md default), on Postgres's clock as triage carries it
    // (docs/triage-oncall.md): it may differ from this process's by a round trip or so.
    const deadline = (row.ack_deadline as Date).getTime();
    const CLOCK_ERROR_MS = 1_000;
    expect(deadline).toBeGreaterThanOrEqual(before + 300_000 - CLOCK_ERROR_MS);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 300_000 + CLOCK_ERROR_MS);
  });

  it('a repeated event (same id) and the same report under another event id change nothing', async () => {
    const event = reportedEvent({ observables: [] });
    await triage.publish(event);
    await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
    // The broker drops a re-publish in its duplicate window; a consumer replay is what the inbox drops.
    await triage.publish(event);
    const replayed = { ...event, id: randomUUID() };
    await triage.publish(replayed);
    await expectEventually(async () => {
      const { rows } = await triage.sql.query<{ count: string }>('SELECT count(*) FROM triage.inbox WHERE event_id = $1', [replayed.id]);
      expect(Number(rows[0]?.count)).toBe(1);
    });
    await triage.settled(0);
    const triaged = await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(triaged).toHaveLength(1);
    const { rows } = await triage.sql.query('SELECT version FROM triage.incident WHERE id = $1', [event.data.incidentId]);
    expect(rows[0]?.version).toBe(1);
  });

  it('re-scores when an update changes an input; out-of-order updates converge; updates before their report are parked and applied with it', async () => {
    const event = reportedEvent({
      observables: [],
      affectedAssets: ['email_office_it'],
      phase: 'election_day',
      impacts: { functionalImpact: 'no_impact_to_services', informationImpact: 'suspected_not_identified', recoverability: 'regular' },
    });
    // v3 overtakes v2, and both overtake the report itself.
    const v2 = updatedEvent(event, 2, { impacts: { functionalImpact: 'denial_non_critical' } });
    const v3 = updatedEvent(event, 3, { impacts: { functionalImpact: 'significant_critical' }, affectedAssets: ['e_pollbook'] });
    await triage.publish(v3);
    await triage.publish(v2);
    // However long the report takes (after an outage it may be minutes), the updates wait for it, parked.
    await expectEventually(async () => {
      const { rows } = await triage.sql.query('SELECT source_version FROM triage.pending_update WHERE incident_id = $1 ORDER BY source_version', [event.data.incidentId]);
      expect(rows.map((r) => r.source_version)).toEqual([2, 3]);
    });
    await triage.publish(event);

    await expectEventually(async () => {
      const { rows } = await triage.sql.query('SELECT count(*)::int AS n FROM triage.inbox WHERE event_id = ANY($1::uuid[])', [[event.id, v2.id, v3.id]]);
      expect(rows[0]?.n).toBe(3);
    }, { timeoutMs: 20_000 });
    const { rows } = await triage.sql.query('SELECT submission, priority, score, phase FROM triage.incident WHERE id = $1', [event.data.incidentId]);
    // v3's functional impact wins whatever the order: (6*70 + 2*10 + 4*20) / 12 = 43.33 low; e-pollbook on election day: high.
    expect(rows[0]?.submission.impacts.functionalImpact).toBe('significant_critical');
    expect(rows[0]?.submission.affectedAssets).toEqual(['email_office_it', 'e_pollbook']);
    expect(rows[0]).toMatchObject({ score: 43.33, priority: 'high', phase: 'election_day' });
    // Triaged once; the re-score that moved the level is a reprioritisation by the rescoring rule.
    const [triaged, ...again] = await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(again).toHaveLength(0);
    // The report is triaged as reported (18.33, baseline), then the parked updates apply in version order:
    // v2 (6*60 + 2*10 + 4*20) / 12 = 38.33 low, v3 43.33 low raised to high by the e-pollbook on election day.
    expect(triaged?.data).toMatchObject({ version: 1, priority: 'baseline', score: 18.33 });
    const raised = await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.reprioritized.v1', 2);
    expect(raised.map((e) => [e.data.from, e.data.to, e.data.version])).toEqual([['baseline', 'low', 2], ['low', 'high', 3]]);
    for (const event of raised) expect(event.data).toMatchObject({ by: { kind: 'system', rule: 'rescoring' }, reason: expect.stringContaining('re-scored') });
    const { rows: left } = await triage.sql.query('SELECT count(*)::int AS n FROM triage.pending_update');
    expect(left[0]?.n).toBe(0);
  });

  it('an update that changes no input of the score (a note) emits nothing', async () => {
    const event = reportedEvent({ observables: [] });
    await triage.publish(event);
    await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
    const note = updatedEvent(event, 2, { note: 'The look-alike site is down now.' });
    await triage.publish(note);
    await expectEventually(async () => {
      const { rows } = await triage.sql.query('SELECT type FROM triage.incident_timeline WHERE incident_id = $1 ORDER BY id', [event.data.incidentId]);
      expect(rows.map((r) => r.type)).toEqual(['watchfloor.incident.reported.v1', 'watchfloor.incident.triaged.v1', 'watchfloor.incident.updated.v1']);
    });
    await triage.settled(0);
    expect(await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1')).toHaveLength(1);
  });

  it('a re-submission (same source.reference at intake) that changes the category is re-scored: incident.reprioritized', async () => {
    const event = reportedEvent({ observables: [], category: 'other', phase: 'pre_election' });
    await triage.publish(event);
    await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1');
    const resubmission = { ...updatedEvent(event, 2, { changes: { category: 'swatting_or_doxxing', title: 'Clerk doxxed on a forum' } }) };
    resubmission.data = { ...resubmission.data, origin: 'resubmission' };
    await triage.publish(resubmission);
    const [raised] = await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.reprioritized.v1');
    expect(raised?.data).toMatchObject({ from: 'baseline', to: 'severe', version: 2, by: { kind: 'system', rule: 'rescoring' }, reason: expect.stringContaining('safety baseline -> severe') });
    const { rows } = await triage.sql.query('SELECT category, title, adjustments FROM triage.incident WHERE id = $1', [event.data.incidentId]);
    expect(rows[0]).toMatchObject({ category: 'swatting_or_doxxing', title: 'Clerk doxxed on a forum', adjustments: [expect.objectContaining({ kind: 'safety' })] });
    expect(await triage.eventsAbout(event.data.incidentId, 'watchfloor.incident.triaged.v1')).toHaveLength(1);
  });
});
