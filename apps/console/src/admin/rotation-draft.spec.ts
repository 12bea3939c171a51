import type { Rotation } from '../api/triage';
import { draftOf, rotationControlId, rotationFieldOf, toRotationBody } from './rotation-draft';

const rotation: Rotation = {
  version: 3,
  timezone: 'America/New_York',
  shifts: [
    { assignee: 'dana', start: '07:00', end: '19:00' },
    { assignee: 'wes', start: '22:00', end: '06:00', days: ['mon', 'fri'] },
  ],
  escalation: ['shift-lead'],
  changedBy: null,
  changedAt: null,
  onCall: { at: '2026-11-03T12:00:00Z', assignees: [], windows: [] },
};

describe('the rotation form', () => {
  it('reads a rotation and gives it back unchanged', () => {
    expect(toRotationBody(draftOf(rotation))).toEqual({ timezone: rotation.timezone, shifts: rotation.shifts, escalation: rotation.escalation });
  });

  it('trims, sends the days in week order, leaves days out for every day and drops empty escalation rows', () => {
    const draft = draftOf(rotation);
    draft.shifts[0] = { assignee: ' nico ', start: ' 19:00', end: '07:00 ', days: ['sun', 'mon'] };
    draft.shifts[1] = { assignee: 'wes', start: '22:00', end: '06:00', days: [] };
    draft.escalation = ['shift-lead', '  ', ' director '];
    expect(toRotationBody(draft)).toEqual({
      timezone: 'America/New_York',
      shifts: [
        { assignee: 'nico', start: '19:00', end: '07:00', days: ['mon', 'sun'] },
        { assignee: 'wes', start: '22:00', end: '06:00' },
      ],
      escalation: ['shift-lead', 'director'],
    });
  });

  it("puts the API's field errors beside their control", () => {
    expect(rotationFieldOf('shifts[2].end')).toBe('shifts.2.end');
    expect(rotationFieldOf('shifts[0].days[1]')).toBe('shifts.0.days');
    expect(rotationFieldOf('escalation[1]')).toBe('escalation.1');
    expect(rotationControlId('shifts.2.end')).toBe('rotation-shifts-2-end');
  });
});
