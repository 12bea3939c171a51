import type { AttemptResult } from './attempt';

/** The retry budget and back-off of deliveries. */
export interface RetryPolicy {
  /** Attempts before a delivery is dead. */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubled after each further one. */
  baseDelayMs: number;
  /** Cap of any delay, `Retry-After` included. */
  maxDelayMs: number;
}

/** What follows an attempt. */
export type NextStep = { kind: 'delivered' } | { kind: 'retry'; delayMs: number } | { kind: 'dead' };

/**
 * Decides what follows attempt number `attempt` (1-based, counted since the last manual
 * retry): success is final; a non-retryable failure, or the last attempt of the budget, is
 * dead; otherwise retry after an exponential back-off with "equal jitter" (half fixed, half
 * random, so a crowd of retries spreads out but none comes back at once), and never sooner
 * than the receiver's `Retry-After`.
 */
export function nextStep(result: AttemptResult, attempt: number, policy: RetryPolicy, random: () => number = Math.random): NextStep {
  if (result.ok) return { kind: 'delivered' };
  if (!result.retryable || attempt >= policy.maxAttempts) return { kind: 'dead' };
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 40));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  const retryAfter = Math.min(result.retryAfterMs ?? 0, policy.maxDelayMs);
  return { kind: 'retry', delayMs: Math.max(jittered, retryAfter) };
}

/** Reads `Retry-After` (delay in seconds or an HTTP date) as ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
