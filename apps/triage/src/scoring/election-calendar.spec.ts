import { DEFAULT_ELECTION_CALENDAR, ElectionCalendar, type ElectionCalendarFile } from './election-calendar';

const GA = 'ocd-division/country:us/state:ga/county:fulton';
const CA = 'ocd-division/country:us/state:ca/county:los_angeles';
const DEFAULT_DATES = (() => {
  const dates = DEFAULT_ELECTION_CALENDAR.elections[0]?.dates;
  if (!dates) throw new Error('no default election');
  return dates;
})();

describe('election calendar', () => {
  const calendar = new ElectionCalendar({
    elections: [
      {
        name: '2028 general',
        dates: { ...DEFAULT_DATES },
        states: { ca: { timezone: 'America/Los_Angeles', earlyVotingStart: '2028-10-09' } },
      },
    ],
  });

  it.each([
    ['2028-06-01T12:00:00Z', GA, 'off_cycle'],
    ['2028-08-09T12:00:00Z', GA, 'pre_election'],
    ['2028-10-17T12:00:00Z', GA, 'pre_election'],
    ['2028-10-18T12:00:00Z', GA, 'early_voting'],
    ['2028-10-10T12:00:00Z', CA, 'early_voting'],
    ['2028-11-07T12:00:00Z', GA, 'election_day'],
    ['2028-11-21T12:00:00Z', GA, 'canvass'],
    ['2028-12-01T12:00:00Z', GA, 'certification'],
    ['2028-12-14T12:00:00Z', GA, 'off_cycle'],
  ])('%s in %s is %s', (at, jurisdiction, phase) => {
    expect(calendar.phaseAt(jurisdiction, new Date(at))).toBe(phase);
  });

  it("reads each day in the state's own time zone: 11 p.m. on election day in Los Angeles is still election day there", () => {
    // 2028-11-08T07:00Z is 11 p.m. on the 7th in Los Angeles, 2 a.m. on the 8th in Atlanta.
    const lateNight = new Date('2028-11-08T07:00:00Z');
    expect(calendar.phaseAt(CA, lateNight)).toBe('election_day');
    expect(calendar.phaseAt(GA, lateNight)).toBe('canvass');
  });

  it('national incidents use the default dates', () => {
    expect(calendar.phaseAt('ocd-division/country:us', new Date('2028-11-07T15:00:00Z'))).toBe('election_day');
  });

  it('refuses a calendar that is wrong, naming the field', () => {
    const bad = (dates: Record<string, string>): ElectionCalendarFile => ({
      elections: [{ name: 'x', dates: { ...DEFAULT_DATES, ...dates } }],
    });
    expect(() => new ElectionCalendar(bad({ timezone: 'Mars/Olympus' }))).toThrow(/elections\[0\]\.dates\.timezone/);
    expect(() => new ElectionCalendar(bad({ electionDay: '2028-11-31' }))).toThrow(/electionDay/);
    expect(() => new ElectionCalendar(bad({ canvassEnd: '2028-11-01' }))).toThrow(/canvassEnd .* is before electionDay/);
    expect(() => new ElectionCalendar({ elections: [] })).toThrow(/non-empty/);
    expect(() => ElectionCalendar.load('/nonexistent/calendar.json')).toThrow(/TRIAGE_ELECTION_CALENDAR_FILE/);
  });
});
