/** How {@link WatchfloorClient} retries a request that may succeed later. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 6). 1 turns retries off. */
  maxAttempts: number;
  /** Delay after the first failed attempt, doubled after each further one (default 500 ms). */
  baseDelayMs: number;
  /** Cap of any delay, a server's `Retry-After` included (default 30 s). */
  maxDelayMs: number;
}

/** Six attempts over about 15 s, then the error: long enough for a restart or failover, short enough for a SOAR playbook. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Why an attempt may be repeated. */
export type RetryReason = 'network' | 'timeout' | 'throttled' | 'unavailable' | 'server-error';

/** HTTP answers worth another attempt: a timeout, throttling, and faults of the server. */
export function retryReasonForStatus(status: number): RetryReason | undefined {
  if (status === 408) return 'timeout';
  if (status === 429) return 'throttled';
  if (status === 503) return 'unavailable';
  if (status >= 500 && status <= 599) return 'server-error';
  return undefined;
}

/**
 * The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed:
 * exponential back-off with "equal jitter" (half fixed, half random, so a crowd of clients
 * spreads out but none comes back at once), never sooner than the server's `Retry-After`,
 * and never longer than `maxDelayMs`. The same rule notification uses for webhooks.
 */
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 40));
  const jittered = Math.round(exponential / 2 + random() * (exponential / 2));
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Reads `Retry-After` (seconds or an HTTP date) as ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
