import rateLimit, { type FastifyRateLimitStore } from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { authenticateRequest } from '../auth/auth.guard';
import type { TokenVerifier } from '../auth/token-verifier';
import { RateLimitedError } from '../errors/domain-error';
import { ANONYMOUS_KEY_PREFIX, RateLimitCounts, type SharedRateLimitCounts } from './rate-limit-counts';

/** The rate limit's window: `RATE_LIMIT_PER_MINUTE` is per minute. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * Rate-limit key: the verified `sub` when the request carries a valid token, else the client
 * IP. Only a verified `sub` counts, or a client could dodge the limit with made-up tokens.
 */
export async function rateLimitKey(request: FastifyRequest, verifier: TokenVerifier): Promise<string> {
  const { caller } = await authenticateRequest(request, verifier);
  return caller ? `sub:${caller.sub}` : `${ANONYMOUS_KEY_PREFIX}${request.ip}`;
}

/** What {@link registerRateLimit} needs. */
export interface RateLimitOptions {
  perMinute: number;
  verifier: TokenVerifier;
  logger: Logger;
  /** The replicas' shared counts (createServiceApp gives Postgres'); without them each replica limits alone. */
  shared?: SharedRateLimitCounts;
  /** How often the counts are synced with `shared`. */
  syncMs: number;
  /** Default `Date.now`; tests move time on. */
  clock?: () => number;
}

/**
 * Registers @fastify/rate-limit for every route registered afterwards (so call it before
 * `init()`/`listen()`): `perMinute` requests per caller per minute (windows aligned to the
 * clock), then 429 problem+json with `Retry-After`. Requests are counted in memory and the
 * counts synced with the other replicas every `syncMs` (see {@link RateLimitCounts}); a failed
 * sync never fails a request. Routes with `@RouteConfig({ rateLimit: false })` (probes) are exempt.
 */
export async function registerRateLimit(app: NestFastifyApplication, options: RateLimitOptions): Promise<void> {
  const counts = new RateLimitCounts({ windowMs: RATE_LIMIT_WINDOW_MS, shared: options.shared, logger: options.logger, clock: options.clock });
  await app.register(rateLimit, {
    max: options.perMinute,
    timeWindow: RATE_LIMIT_WINDOW_MS,
    store: storeOf(counts),
    keyGenerator: (request) => rateLimitKey(request, options.verifier),
    errorResponseBuilder: (_request, context) => new RateLimitedError(Math.max(1, Math.ceil(context.ttl / 1000))),
    // The draft RateLimit headers would reveal the limit on every response; only 429s say when to retry.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
  });
  if (options.shared === undefined) return;
  const timer = setInterval(() => void counts.sync(), options.syncMs);
  timer.unref();
  app.getHttpAdapter().getInstance().addHook('onClose', async () => {
    clearInterval(timer);
    await counts.sync();
  });
}

/** @fastify/rate-limit's store interface over {@link RateLimitCounts}: it builds the store itself, from a class. */
function storeOf(counts: RateLimitCounts): new () => FastifyRateLimitStore {
  return class RateLimitStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void): void {
      callback(null, counts.count(key));
    }

    child(): FastifyRateLimitStore {
      throw new Error('per-route rate limits are not supported: every route shares RATE_LIMIT_PER_MINUTE');
    }
  };
}
