import { ELECTION_ASSETS, INCIDENT_CATEGORIES, SAFETY_CATEGORIES, VOTING_CRITICAL_ASSETS } from './incident';
import { isAllowedTransition, OPEN_INCIDENT_STATUSES } from './lifecycle';
import { comparePriority, priorityForScore } from './priority';

describe('priority levels', () => {
  it.each([
    [0, 'baseline'],
    [24.9, 'baseline'],
    [25, 'low'],
    [44.99, 'low'],
    [45, 'medium'],
    [60, 'high'],
    [75, 'severe'],
    [89.9, 'severe'],
    [90, 'emergency'],
    [100, 'emergency'],
  ] as const)('score %s is %s', (score, level) => {
    expect(priorityForScore(score)).toBe(level);
  });

  it('compares levels by rank', () => {
    expect(comparePriority('high', 'medium')).toBeGreaterThan(0);
    expect(comparePriority('baseline', 'emergency')).toBeLessThan(0);
  });
});

describe('incident lifecycle', () => {
  it.each(OPEN_INCIDENT_STATUSES)('%s may be resolved', (status) => {
    expect(isAllowedTransition(status, 'resolved')).toBe(true);
  });

  it('reopens resolved incidents to investigating and keeps closed final', () => {
    expect(isAllowedTransition('resolved', 'investigating')).toBe(true);
    expect(isAllowedTransition('resolved', 'closed')).toBe(true);
    expect(isAllowedTransition('closed', 'investigating')).toBe(false);
    expect(isAllowedTransition('new', 'closed')).toBe(false);
  });
});

describe('vocabulary', () => {
  it('derives its subsets from the full lists', () => {
    expect(ELECTION_ASSETS).toEqual(expect.arrayContaining([...VOTING_CRITICAL_ASSETS]));
    expect(INCIDENT_CATEGORIES).toEqual(expect.arrayContaining([...SAFETY_CATEGORIES]));
  });
});
