import type { Caller } from './caller';
import { VerifiedTokenCache } from './verified-token-cache';

const caller: Caller = { sub: 'u', name: 'u', roles: ['triage'], clearance: 'clear' };
const NOW = 1_800_000_000_000;

describe('VerifiedTokenCache', () => {
  it('remembers a token until its exp', () => {
    const cache = new VerifiedTokenCache(10, 60_000);
    cache.set('t', caller, NOW / 1000 + 30, NOW);
    expect(cache.get('t', NOW + 29_999)).toBe(caller);
    expect(cache.get('t', NOW + 30_000)).toBeUndefined();
    expect(cache.get('other', NOW)).toBeUndefined();
  });

  it('forgets a long-lived token after maxAge, so JWKS key removals take effect', () => {
    const cache = new VerifiedTokenCache(10, 60_000);
    cache.set('t', caller, NOW / 1000 + 8 * 3600, NOW);
    expect(cache.get('t', NOW + 59_999)).toBe(caller);
    expect(cache.get('t', NOW + 60_000)).toBeUndefined();
  });

  it('ignores already expired tokens and drops the oldest entry when full', () => {
    const cache = new VerifiedTokenCache(2, 60_000);
    cache.set('expired', caller, NOW / 1000 - 1, NOW);
    expect(cache.get('expired', NOW)).toBeUndefined();
    cache.set('a', caller, NOW / 1000 + 30, NOW);
    cache.set('b', caller, NOW / 1000 + 30, NOW);
    cache.set('c', caller, NOW / 1000 + 30, NOW);
    expect([cache.get('a', NOW), cache.get('b', NOW), cache.get('c', NOW)]).toEqual([undefined, caller, caller]);
  });
});
