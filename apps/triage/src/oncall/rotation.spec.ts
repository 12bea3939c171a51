import { Rotation, type RotationSpec } from './rotation';

const NEW_YORK = 'America/New_York';

function rotation(spec: Partial<RotationSpec> & Pick<RotationSpec, 'shifts'>): Rotation {
  const compiled = Rotation.compile({ timezone: NEW_YORK, escalation: [], ...spec });
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.errors));
  return compiled.rotation;
}

const at = (iso: string) => new Date(iso);

describe('Rotation: who is on call', () => {
  describe('07:00-19:00 America/New_York stays 07:00-19:00 local across daylight-saving changes', () => {
    const day = rotation({ shifts: [{ assignee: 'dana', start: '07:00', end: '19:00' }] });

    it('in winter (EST, UTC-5) the shift is 12:00Z-00:00Z', () => {
      expect(day.onCallAt(at('2026-03-07T11:59:59Z'))).toEqual([]);
      expect(day.onCallAt(at('2026-03-07T12:00:00Z'))).toEqual(['dana']);
      expect(day.onCallAt(at('2026-03-07T23:59:59Z'))).toEqual(['dana']);
      expect(day.onCallAt(at('2026-03-08T00:00:00Z'))).toEqual([]);
    });

    it('on the spring-forward day (8 March 2026) it starts at 07:00 EDT = 11:00Z', () => {
      expect(day.onCallAt(at('2026-03-08T10:59:59Z'))).toEqual([]);
      expect(day.onCallAt(at('2026-03-08T11:00:00Z'))).toEqual(['dana']);
      expect(day.onCallAt(at('2026-03-08T22:59:59Z'))).toEqual(['dana']);
      expect(day.onCallAt(at('2026-03-08T23:00:00Z'))).toEqual([]);
      expect(day.windowsAt(at('2026-03-08T12:00:00Z'))).toEqual([
        { assignee: 'dana', start: at('2026-03-08T11:00:00Z'), end: at('2026-03-08T23:00:00Z') },
      ]);
    });

    it('on the fall-back day (1 November 2026) it starts at 07:00 EST = 12:00Z', () => {
      expect(day.onCallAt(at('2026-11-01T11:30:00Z'))).toEqual([]);
      expect(day.onCallAt(at('2026-11-01T12:00:00Z'))).toEqual(['dana']);
      expect(day.onCallAt(at('2026-11-01T23:59:59Z'))).toEqual(['dana']);
      expect(day.onCallAt(at('2026-11-02T00:00:00Z'))).toEqual([]);
    });

    it('on election day (3 November 2026, EST) 07:00 local is 12:00Z', () => {
      expect(day.onCallAt(at('2026-11-03T11:00:00Z'))).toEqual([]);
      expect(day.onCallAt(at('2026-11-03T12:00:00Z'))).toEqual(['dana']);
    });
  });

  describe('overnight shifts (end at or before start) run into the next day', () => {
    const night = rotation({ shifts: [{ assignee: 'nico', start: '19:00', end: '07:00' }] });

    it('lasts 13 hours over the fall-back night: 19:00 EDT to 07:00 EST', () => {
      expect(night.windowsAt(at('2026-11-01T06:30:00Z'))).toEqual([
        { assignee: 'nico', start: at('2026-10-31T23:00:00Z'), end: at('2026-11-01T12:00:00Z') },
      ]);
      expect(night.onCallAt(at('2026-11-01T11:59:59Z'))).toEqual(['nico']);
      expect(night.onCallAt(at('2026-11-01T12:00:00Z'))).toEqual([]);
    });

    it('lasts 11 hours over the spring-forward night: 19:00 EST to 07:00 EDT', () => {
      expect(night.windowsAt(at('2026-03-08T05:00:00Z'))).toEqual([
        { assignee: 'nico', start: at('2026-03-08T00:00:00Z'), end: at('2026-03-08T11:00:00Z') },
      ]);
      expect(night.onCallAt(at('2026-03-08T11:00:00Z'))).toEqual([]);
    });

    it('an equal start and end is a 24-hour shift', () => {
      const fullDay = rotation({ shifts: [{ assignee: 'ari', start: '08:00', end: '08:00', days: ['tue'] }] });
      // Tuesday 3 November 08:00 EST = 13:00Z, until Wednesday 08:00 EST.
      expect(fullDay.onCallAt(at('2026-11-03T12:59:59Z'))).toEqual([]);
      expect(fullDay.onCallAt(at('2026-11-03T13:00:00Z'))).toEqual(['ari']);
      expect(fullDay.onCallAt(at('2026-11-04T12:59:59Z'))).toEqual(['ari']);
      expect(fullDay.onCallAt(at('2026-11-04T13:00:00Z'))).toEqual([]);
    });
  });

  describe('the hours the clock skips or repeats', () => {
    it('00:00-02:00 on the fall-back night covers both 01:30s (3 real hours)', () => {
      const early = rotation({ shifts: [{ assignee: 'sam', start: '00:00', end: '02:00' }] });
      expect(early.onCallAt(at('2026-11-01T05:30:00Z'))).toEqual(['sam']); // 01:30 EDT
      expect(early.onCallAt(at('2026-11-01T06:30:00Z'))).toEqual(['sam']); // 01:30 EST
      expect(early.onCallAt(at('2026-11-01T07:00:00Z'))).toEqual([]); // 02:00 EST
    });

    it('01:00-03:00 on the spring-forward night lasts the one real hour the clock shows', () => {
      const early = rotation({ shifts: [{ assignee: 'sam', start: '01:00', end: '03:00' }] });
      expect(early.windowsAt(at('2026-03-08T06:30:00Z'))).toEqual([
        { assignee: 'sam', start: at('2026-03-08T06:00:00Z'), end: at('2026-03-08T07:00:00Z') },
      ]);
    });

    it('a start inside the skipped hour moves on by the gap (02:30 -> 03:30 EDT)', () => {
      const skipped = rotation({ shifts: [{ assignee: 'sam', start: '02:30', end: '04:00' }] });
      expect(skipped.onCallAt(at('2026-03-08T07:29:59Z'))).toEqual([]);
      expect(skipped.onCallAt(at('2026-03-08T07:30:00Z'))).toEqual(['sam']);
    });
  });

  it('weekly shifts start only on their days; a Friday night shift runs into Saturday', () => {
    const weekdays = rotation({ shifts: [{ assignee: 'wes', start: '22:00', end: '06:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] }] });
    // Friday 6 November 2026 22:00 EST = Saturday 03:00Z.
    expect(weekdays.onCallAt(at('2026-11-07T03:00:00Z'))).toEqual(['wes']);
    expect(weekdays.onCallAt(at('2026-11-07T10:59:59Z'))).toEqual(['wes']);
    // Saturday night: nobody.
    expect(weekdays.onCallAt(at('2026-11-08T04:00:00Z'))).toEqual([]);
  });

  it('dated shifts are local to the rotation zone unless they carry an offset', () => {
    const electionDay = rotation({
      shifts: [
        { assignee: 'eve', start: '2026-11-03T05:00', end: '2026-11-04T03:00' },
        { assignee: 'utc', start: '2026-11-03T10:00:00Z', end: '2026-11-03T11:00:00Z' },
      ],
    });
    expect(electionDay.onCallAt(at('2026-11-03T09:59:59Z'))).toEqual([]);
    expect(electionDay.onCallAt(at('2026-11-03T10:00:00Z'))).toEqual(['eve', 'utc']);
    expect(electionDay.onCallAt(at('2026-11-04T07:59:59Z'))).toEqual(['eve']);
    expect(electionDay.onCallAt(at('2026-11-04T08:00:00Z'))).toEqual([]);
  });

  it('lists each person once, in the order of the shifts (the round-robin order)', () => {
    const surge = rotation({
      shifts: [
        { assignee: 'bo', start: '06:00', end: '18:00' },
        { assignee: 'al', start: '00:00', end: '24:00' },
        { assignee: 'bo', start: '2026-11-03T00:00', end: '2026-11-04T00:00' },
      ],
    });
    expect(surge.onCallAt(at('2026-11-03T15:00:00Z'))).toEqual(['bo', 'al']);
  });

  it('works in zones without DST and in the southern hemisphere', () => {
    const phoenix = rotation({ timezone: 'America/Phoenix', shifts: [{ assignee: 'pat', start: '07:00', end: '19:00' }] });
    expect(phoenix.onCallAt(at('2026-03-08T14:00:00Z'))).toEqual(['pat']); // 07:00 MST all year
    expect(phoenix.onCallAt(at('2026-11-01T14:00:00Z'))).toEqual(['pat']);
    const auckland = rotation({ timezone: 'Pacific/Auckland', shifts: [{ assignee: 'kiri', start: '09:00', end: '17:00' }] });
    // 5 April 2026: NZDT ends at 03:00 -> 02:00 (UTC+13 -> +12); 09:00 NZST = 21:00Z the day before.
    expect(auckland.onCallAt(at('2026-04-04T21:00:00Z'))).toEqual(['kiri']);
    expect(auckland.onCallAt(at('2026-04-04T20:59:59Z'))).toEqual([]);
  });

  it('names the escalation contact by level, the last one for every level beyond the list', () => {
    const chain = rotation({ shifts: [], escalation: ['lead', 'manager', 'director'] });
    expect([1, 2, 3, 4, 9].map((level) => chain.escalationContact(level))).toEqual(['lead', 'manager', 'director', 'director', 'director']);
    expect(rotation({ shifts: [] }).escalationContact(1)).toBeUndefined();
  });
});

describe('Rotation.compile: what it refuses, field by field', () => {
  const errorsOf = (spec: Partial<RotationSpec>) => {
    const compiled = Rotation.compile({ timezone: NEW_YORK, shifts: [], escalation: [], ...spec });
    return compiled.ok ? [] : compiled.errors;
  };

  it('a zone that is not an IANA name', () => {
    for (const timezone of ['Eastern', 'UTC+5', '+05:00', 'Mars/Olympus_Mons']) {
      expect(errorsOf({ timezone })).toEqual([{ field: 'timezone', message: expect.stringContaining('IANA') }]);
    }
  });

  it('a dated shift ending at or before its start, or lasting more than a month', () => {
    expect(errorsOf({ shifts: [{ assignee: 'a', start: '2026-11-03T19:00', end: '2026-11-03T07:00' }] })).toEqual([
      { field: 'shifts[0].end', message: 'end must be after start' },
    ]);
    expect(errorsOf({ shifts: [{ assignee: 'a', start: '2026-11-03T07:00', end: '2026-11-03T07:00' }] })).toEqual([
      { field: 'shifts[0].end', message: 'end must be after start' },
    ]);
    expect(errorsOf({ shifts: [{ assignee: 'a', start: '2026-11-03T07:00', end: '2027-11-03T07:00' }] })).toEqual([
      { field: 'shifts[0].end', message: expect.stringContaining('at most 31 days') },
    ]);
  });

  it('mixed forms, impossible times and days on a dated shift', () => {
    expect(errorsOf({ shifts: [{ assignee: 'a', start: '07:00', end: '2026-11-03T19:00' }] })).toEqual([
      { field: 'shifts[0].end', message: expect.any(String) },
    ]);
    expect(errorsOf({ shifts: [{ assignee: 'a', start: '24:00', end: '07:00' }] })).toEqual([
      { field: 'shifts[0].start', message: expect.any(String) },
    ]);
    expect(errorsOf({ shifts: [{ assignee: 'a', start: '2026-02-30T07:00', end: '2026-03-01T07:00' }] })).toEqual([
      { field: 'shifts[0].start', message: expect.any(String) },
    ]);
    expect(errorsOf({ shifts: [{ assignee: 'a', start: '2026-11-03T07:00', end: '2026-11-03T19:00', days: ['tue'] }] })).toEqual([
      { field: 'shifts[0].days', message: expect.any(String) },
    ]);
  });

  it('names the index of the bad shift', () => {
    const ok = { assignee: 'a', start: '07:00', end: '19:00' };
    expect(errorsOf({ shifts: [ok, ok, { assignee: 'b', start: '7am', end: '19:00' }] })).toEqual([
      { field: 'shifts[2].start', message: expect.any(String) },
    ]);
  });
});
