import { actorOf, incidentIdsOf } from './entry-of-event';

describe('who did it', () => {
  it.each([
    [{ by: { kind: 'user', sub: 'officer-1' } }, 'officer-1'],
    [{ by: { kind: 'system', rule: 'oncall_rotation' } }, 'system:oncall_rotation'],
    [{ submittedBy: { sub: 'official-7', org: 'fulton' } }, 'official-7'],
    [{ author: { sub: 'officer-2' } }, 'officer-2'],
    [{ score: 40 }, 'system:triage'],
  ])('%j -> %s', (data, actor) => {
    expect(actorOf({ source: '/watchfloor/triage', data })).toBe(actor);
  });
});

describe('which incidents', () => {
  it('takes an incident id, a cluster\'s ids, or none', () => {
    expect(incidentIdsOf({ incidentId: 'ABC' })).toEqual(['abc']);
    expect(incidentIdsOf({ incidentIds: ['a', 'b', 'a'] })).toEqual(['a', 'b']);
    expect(incidentIdsOf({ subscriptionId: 'x' })).toEqual([]);
  });
});
