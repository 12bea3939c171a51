import { memoizeString } from './memo';

describe('memoizeString', () => {
  it('computes each value once, and forgets the oldest past its capacity', () => {
    const seen: string[] = [];
    const upper = memoizeString((value) => {
      seen.push(value);
      return value.toUpperCase();
    }, 2);
    expect([upper('a'), upper('a'), upper('b'), upper('c'), upper('a')]).toEqual(['A', 'A', 'B', 'C', 'A']);
    expect(seen).toEqual(['a', 'b', 'c', 'a']);
  });
});
