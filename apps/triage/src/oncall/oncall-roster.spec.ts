import { pickInTurn } from './oncall-roster';

describe('pickInTurn: the round robin over whoever is on call', () => {
  it('goes through them in their listed order, and starts over', () => {
    const onCall = ['ana', 'ben', 'cy'];
    expect([0n, 1n, 2n, 3n, 4n, 5n, 6n].map((turn) => pickInTurn(onCall, turn))).toEqual(['ana', 'ben', 'cy', 'ana', 'ben', 'cy', 'ana']);
  });

  it('shares the turn fairly whatever the number on call (each gets the same count over a full cycle)', () => {
    for (const size of [1, 2, 3, 5, 7]) {
      const onCall = Array.from({ length: size }, (_, i) => `staff-${i}`);
      const counts = new Map<string, number>();
      for (let turn = 0n; turn < BigInt(size * 4); turn++) {
        const pick = pickInTurn(onCall, turn) ?? 'nobody';
        counts.set(pick, (counts.get(pick) ?? 0) + 1);
      }
      expect([...counts.values()]).toEqual(Array.from({ length: size }, () => 4));
    }
  });

  it('nobody on call: nobody picked; a huge turn (a long-lived sequence) still picks', () => {
    expect(pickInTurn([], 5n)).toBeUndefined();
    expect(pickInTurn(['ana', 'ben'], 9_223_372_036_854_775_807n)).toBe('ben');
  });
});
