import { nextStep, parseRetryAfter, type RetryPolicy } from './retry-policy';

const POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000 };
const failure = (extra: { retryable?: boolean; retryAfterMs?: number } = {}) => ({ ok: false as const, retryable: extra.retryable ?? true, error: 'HTTP 500', ...extra });

describe('nextStep', () => {
  it('a success is delivered', () => {
    expect(nextStep({ ok: true, httpStatus: 200 }, 1, POLICY)).toEqual({ kind: 'delivered' });
  });

  it('a non-retryable failure is dead at once', () => {
    expect(nextStep(failure({ retryable: false }), 1, POLICY)).toEqual({ kind: 'dead' });
  });

  it('the last attempt of the budget is dead', () => {
    expect(nextStep(failure(), 5, POLICY)).toEqual({ kind: 'dead' });
  });

  it('backs off exponentially with jitter between half and all of the step', () => {
    expect(nextStep(failure(), 1, POLICY, () => 0)).toEqual({ kind: 'retry', delayMs: 500 });
    expect(nextStep(failure(), 1, POLICY, () => 1)).toEqual({ kind: 'retry', delayMs: 1_000 });
    expect(nextStep(failure(), 3, POLICY, () => 1)).toEqual({ kind: 'retry', delayMs: 4_000 });
    expect(nextStep(failure(), 4, POLICY, () => 0.5)).toEqual({ kind: 'retry', delayMs: 6_000 });
  });

  it('caps the delay', () => {
    const policy = { ...POLICY, maxAttempts: 50 };
    expect(nextStep(failure(), 30, policy, () => 1)).toEqual({ kind: 'retry', delayMs: 10_000 });
  });

  it('waits at least as long as Retry-After, capped by the maximum', () => {
    expect(nextStep(failure({ retryAfterMs: 7_000 }), 1, POLICY, () => 1)).toEqual({ kind: 'retry', delayMs: 7_000 });
    expect(nextStep(failure({ retryAfterMs: 3_600_000 }), 1, POLICY, () => 1)).toEqual({ kind: 'retry', delayMs: 10_000 });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-11-03T13:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Tue, 03 Nov 2026 13:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 03 Nov 2026 12:00:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
