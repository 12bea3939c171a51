import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { reportedEvent } from './events';
import { startTriage, type TriageUnderTest } from './harness';

describe('triage: the election phase from the configured calendar', () => {
  let triage: TriageUnderTest;

  beforeAll(async () => {
    // Today is election day in Georgia (in its own zone); Wisconsin votes in a month.
    const today = DateTime.now().setZone('America/New_York');
    const day = (offset: number) => today.plus({ days: offset }).toISODate() ?? '';
    const calendar = {
      elections: [
        {
          name: 'test general',
          dates: { timezone: 'America/New_York', preElectionStart: day(-60), earlyVotingStart: day(-20), electionDay: day(0), canvassEnd: day(14), certificationEnd: day(30) },
          states: { wi: { timezone: 'America/Chicago', preElectionStart: day(-20), earlyVotingStart: day(10), electionDay: day(30), canvassEnd: day(40), certificationEnd: day(50) } },
        },
      ],
    };
    const file = join(mkdtempSync(join(tmpdir(), 'wf-calendar-')), 'calendar.json');
    writeFileSync(file, JSON.stringify(calendar));
    triage = await startTriage({ TRIAGE_ELECTION_CALENDAR_FILE: file });
  });
  afterAll(async () => {
    await triage?.close();
  });

  it('derives the phase for the jurisdiction when the reporter gives none, and the phase floor follows it', async () => {
    const outage = { category: 'equipment_malfunction' as const, affectedAssets: ['e_pollbook' as const], observables: [],
      impacts: { functionalImpact: 'minimal_critical' as const, informationImpact: 'no_impact' as const, recoverability: 'regular' as const } };
    const georgia = reportedEvent({ ...outage, jurisdiction: 'ocd-division/country:us/state:ga/county:cobb' });
    const wisconsin = reportedEvent({ ...outage, jurisdiction: 'ocd-division/country:us/state:wi/place:madison' });
    const stated = reportedEvent({ ...outage, jurisdiction: 'ocd-division/country:us/state:ga/county:cobb', phase: 'off_cycle' });
    for (const event of [georgia, wisconsin, stated]) await triage.publish(event);

    const [ga] = await triage.eventsAbout(georgia.data.incidentId, 'watchfloor.incident.triaged.v1');
    // (6*40 + 0 + 4*20) / 12 = 26.67 low; e-pollbook on election day: high.
    expect(ga?.data).toMatchObject({ phase: 'election_day', priority: 'high', score: 26.67 });
    const [wi] = await triage.eventsAbout(wisconsin.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(wi?.data).toMatchObject({ phase: 'pre_election', priority: 'low', adjustments: [] });
    const [own] = await triage.eventsAbout(stated.data.incidentId, 'watchfloor.incident.triaged.v1');
    expect(own?.data).toMatchObject({ phase: 'off_cycle', priority: 'low' });
  });
});
