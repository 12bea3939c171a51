import { nextEscalationDue } from './escalation-schedule';

const at = (iso: string) => new Date(iso);

describe('nextEscalationDue', () => {
  it('keeps the rhythm of the deadline table: one period after the missed deadline', () => {
    const due = at('2026-11-03T12:05:00.000Z');
    expect(nextEscalationDue({ due, level: 1, periodSeconds: 300 }, at('2026-11-03T12:05:00.250Z'), 100)).toEqual(at('2026-11-03T12:10:00.000Z'));
  });

  it('after an outage longer than a period, starts a full period from now instead of firing a burst', () => {
    const due = at('2026-11-03T12:05:00.000Z');
    expect(nextEscalationDue({ due, level: 1, periodSeconds: 300 }, at('2026-11-03T12:40:00.000Z'), 100)).toEqual(at('2026-11-03T12:45:00.000Z'));
  });

  it('stops at the highest level, and when the level has no deadline', () => {
    const due = at('2026-11-03T12:05:00.000Z');
    expect(nextEscalationDue({ due, level: 3, periodSeconds: 300 }, due, 3)).toBeUndefined();
    expect(nextEscalationDue({ due, level: 1, periodSeconds: undefined }, due, 100)).toBeUndefined();
  });
});
