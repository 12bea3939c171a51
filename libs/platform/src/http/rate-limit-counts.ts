import type { Logger } from 'pino';
import { counter } from '../metrics/metrics-registry';

/** What one replica sends at a sync: its callers' requests since its last sync, in one window. */
export interface RateLimitDeltas {
  /** Start of the window (ms since the epoch; windows are aligned, so every replica names it alike). */
  windowStart: number;
  /** Windows that started before this (ms) are over for every replica: the store may forget them. */
  forgetBefore: number;
  /** Requests per rate-limit key. */
  deltas: ReadonlyMap<string, number>;
}

/**
 * Where the replicas of a service add up their callers' requests (a table in the service's
 * schema): `add` adds each delta to its key's total in the window and answers the totals over
 * every replica, of the keys it was given. One round trip per call.
 */
export interface SharedRateLimitCounts {
  add(sync: RateLimitDeltas): Promise<ReadonlyMap<string, number>>;
}

/** A key's requests in the current window, as this replica knows them. */
interface Tally {
  /** The total over every replica that the last sync answered (this replica's sent requests included). */
  shared: number;
  /** Requests in the sync under way. */
  sending: number;
  /** Requests not yet sent. */
  unsent: number;
}

interface Window {
  start: number;
  tallies: Map<string, Tally>;
  /** Keys of callers without a verified token (client addresses) in `tallies`. */
  anonymousKeys: number;
}

/** Keys of callers without a verified token: their client address. */
export const ANONYMOUS_KEY_PREFIX = 'ip:';
/** The one count shared by client addresses beyond {@link MAX_ANONYMOUS_KEYS} in a window. */
const OVERFLOW_KEY = `${ANONYMOUS_KEY_PREFIX}*`;
/**
 * Client addresses counted apart in one window. Callers with a verified token are as many as
 * the identity provider's accounts; addresses are as many as a flood can forge or rent, and
 * each would grow this replica's memory and the sync's statement. Beyond this many, new
 * addresses share one count: the flood is limited as one caller, signed-in callers not at all.
 */
export const MAX_ANONYMOUS_KEYS = 10_000;

const syncFailures = counter({
  name: 'watchfloor_rate_limit_sync_failures_total',
  help: 'Syncs of the rate-limit counts with the other replicas that failed (limits then count this replica alone until one succeeds).',
});

/** What {@link RateLimitCounts} needs. */
export interface RateLimitCountsOptions {
  windowMs: number;
  /** The replicas' shared counts; without them the limit is this replica's alone. */
  shared?: SharedRateLimitCounts;
  logger: Logger;
  /** Default `Date.now`; tests move time on. */
  clock?: () => number;
  /** Default {@link MAX_ANONYMOUS_KEYS}. */
  maxAnonymousKeys?: number;
}

/**
 * Callers' requests per fixed window (aligned to the epoch, so the replicas' windows are the
 * same), counted in memory on the request path: no I/O per request. {@link sync} sends what
 * was counted since the last sync to the shared counts in one call and learns the other
 * replicas' requests from the totals it answers; a caller's count is the last known total
 * plus what this replica has not yet sent. A failed sync keeps its requests for the next one.
 */
export class RateLimitCounts {
  private readonly clock: () => number;
  private window: Window = { start: Number.NEGATIVE_INFINITY, tallies: new Map(), anonymousKeys: 0 };
  private syncing: Promise<void> | undefined;
  private failing = false;

  constructor(private readonly options: RateLimitCountsOptions) {
    this.clock = options.clock ?? Date.now;
  }

  /** Counts one request of `key`: its requests in this window over every replica as far as known, this one included, and the ms left. */
  count(key: string): { current: number; ttl: number } {
    const now = this.clock();
    const window = this.currentWindow(now);
    const tally = this.tallyOf(window, key);
    tally.unsent += 1;
    return { current: tally.shared + tally.sending + tally.unsent, ttl: window.start + this.options.windowMs - now };
  }

  /** Sends the unsent counts (one call, none when nothing is unsent); at most one sync at a time. */
  sync(): Promise<void> {
    this.syncing ??= this.send().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async send(): Promise<void> {
    const shared = this.options.shared;
    if (shared === undefined) return;
    const window = this.currentWindow(this.clock());
    const deltas = new Map<string, number>();
    for (const [key, tally] of window.tallies) {
      if (tally.unsent === 0) continue;
      deltas.set(key, tally.unsent);
      tally.sending = tally.unsent;
      tally.unsent = 0;
    }
    if (deltas.size === 0) return;
    try {
      const totals = await shared.add({ windowStart: window.start, forgetBefore: window.start - this.options.windowMs, deltas });
      for (const [key, total] of totals) {
        const tally = window.tallies.get(key);
        if (tally === undefined) continue;
        tally.shared = total;
        tally.sending = 0;
      }
      if (this.failing) this.options.logger.info('rate-limit sync works again; limits count every replica');
      this.failing = false;
    } catch (error) {
      // Kept for the next sync; meanwhile the limit counts this replica's requests and the last known totals.
      for (const key of deltas.keys()) {
        const tally = window.tallies.get(key);
        if (tally === undefined) continue;
        tally.unsent += tally.sending;
        tally.sending = 0;
      }
      syncFailures.inc();
      if (!this.failing) this.options.logger.warn({ err: error }, 'rate-limit sync failed; limits count this replica alone until it works again');
      this.failing = true;
    }
  }

  private currentWindow(now: number): Window {
    const start = now - (now % this.options.windowMs);
    if (start !== this.window.start) this.window = { start, tallies: new Map(), anonymousKeys: 0 };
    return this.window;
  }

  /** The key's tally in the window, made on its first request; a client address past the cap gets the shared one. */
  private tallyOf(window: Window, key: string): Tally {
    const known = window.tallies.get(key);
    if (known !== undefined) return known;
    const anonymous = key.startsWith(ANONYMOUS_KEY_PREFIX);
    if (anonymous && key !== OVERFLOW_KEY && window.anonymousKeys >= (this.options.maxAnonymousKeys ?? MAX_ANONYMOUS_KEYS)) return this.tallyOf(window, OVERFLOW_KEY);
    const tally: Tally = { shared: 0, sending: 0, unsent: 0 };
    window.tallies.set(key, tally);
    if (anonymous) window.anonymousKeys += 1;
    return tally;
  }
}
