import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { authenticateRequest } from '../auth/auth.guard';
import type { TokenVerifier } from '../auth/token-verifier';
import { RateLimitedError } from '../errors/domain-error';

/**
 * Rate-limit key: the verified `sub` when the request carries a valid token, else the client
 * IP. Only a verified `sub` counts, or a client could dodge the limit with made-up tokens.
 */
export async function rateLimitKey(request: FastifyRequest, verifier: TokenVerifier): Promise<string> {
  const { caller } = await authenticateRequest(request, verifier);
  return caller ? `sub:${caller.sub}` : `ip:${request.ip}`;
}

/**
 * Registers @fastify/rate-limit for every route registered afterwards (so call it before
 * `init()`/`listen()`): `perMinute` requests per caller per minute, then 429 problem+json with
 * `Retry-After`. Routes with `@RouteConfig({ rateLimit: false })` (probes) are exempt.
 */
export async function registerRateLimit(app: NestFastifyApplication, perMinute: number, verifier: TokenVerifier): Promise<void> {
  await app.register(rateLimit, {
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => rateLimitKey(request, verifier),
    errorResponseBuilder: (_request, context) => new RateLimitedError(Math.max(1, Math.ceil(context.ttl / 1000))),
    // The draft RateLimit headers would reveal the limit on every response; only 429s say when to retry.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
  });
}
