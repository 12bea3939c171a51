import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay, retryReasonForStatus } from './retry-policy';

const policy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

describe('retry policy', () => {
  it('doubles the delay per failed attempt, with equal jitter between half and all of it', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, policy, undefined, () => 0))).toEqual([250, 500, 1_000, 2_000]);
    expect([1, 2, 3, 4].map((attempt) => retryDelay(attempt, policy, undefined, () => 1))).toEqual([500, 1_000, 2_000, 4_000]);
  });

  it('caps every delay, however many attempts', () => {
    expect(retryDelay(50, policy, undefined, () => 1)).toBe(30_000);
  });

  it('never comes back sooner than Retry-After, and never later than the cap', () => {
    expect(retryDelay(1, policy, 2_000, () => 1)).toBe(2_000);
    expect(retryDelay(1, policy, 3_600_000, () => 1)).toBe(30_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-03T13:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Tue, 03 Nov 2026 13:00:05 GMT', now)).toBe(5_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('retries 408, 429 and 5xx, and no other answer', () => {
    expect([408, 429, 500, 502, 503, 504].map(retryReasonForStatus)).toEqual(['timeout', 'throttled', 'server-error', 'server-error', 'unavailable', 'server-error']);
    expect([400, 401, 403, 404, 409, 413, 415, 422].map(retryReasonForStatus)).toEqual(Array(8).fill(undefined));
  });

  it('by default waits about 15 s in all before giving up', () => {
    const waits = Array.from({ length: DEFAULT_RETRY_POLICY.maxAttempts - 1 }, (_, i) => retryDelay(i + 1, DEFAULT_RETRY_POLICY, undefined, () => 1));
    expect(waits.reduce((sum, ms) => sum + ms, 0)).toBe(15_500);
  });
});
