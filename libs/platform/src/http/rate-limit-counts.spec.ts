import pino from 'pino';
import { RateLimitCounts, type RateLimitDeltas } from './rate-limit-counts';

const WINDOW_MS = 60_000;

describe('RateLimitCounts: client addresses beyond the cap share one count', () => {
  let now = 10 * WINDOW_MS + 1_000;
  const sent: RateLimitDeltas[] = [];
  const counts = () =>
    new RateLimitCounts({
      windowMs: WINDOW_MS,
      logger: pino({ enabled: false }),
      clock: () => now,
      maxAnonymousKeys: 3,
      shared: {
        add: async (sync) => {
          sent.push(sync);
          return new Map(sync.deltas);
        },
      },
    });

  it('counts the first addresses apart, the rest together, and signed-in callers apart whatever the flood', async () => {
    const limit = counts();
    expect(['ip:10.0.0.1', 'ip:10.0.0.2', 'ip:10.0.0.3'].map((key) => limit.count(key).current)).toEqual([1, 1, 1]);
    expect(['ip:10.0.0.4', 'ip:10.0.0.5', 'ip:10.0.0.6'].map((key) => limit.count(key).current)).toEqual([1, 2, 3]);
    // An address counted apart before the cap keeps its own count.
    expect(limit.count('ip:10.0.0.1').current).toBe(2);
    expect(limit.count('sub:clerk-fulton').current).toBe(1);

    await limit.sync();
    expect([...(sent.at(-1)?.deltas.keys() ?? [])].sort()).toEqual(['ip:*', 'ip:10.0.0.1', 'ip:10.0.0.2', 'ip:10.0.0.3', 'sub:clerk-fulton']);

    // A new window counts addresses apart again.
    now += WINDOW_MS;
    expect(limit.count('ip:10.0.0.4').current).toBe(1);
    expect(limit.count('ip:10.0.0.5').current).toBe(1);
  });
});
