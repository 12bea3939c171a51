import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { TokenVerifier } from '../auth/token-verifier';
import type { BaseEnv } from '../config/base-env';
import { registerRequestTracing } from '../tracing/http-tracing';
import type { Tracing } from '../tracing/tracing';
import { assignCorrelationId } from './correlation';
import { registerJsonDepthLimit } from './json-depth';
import { registerRateLimit } from './rate-limit';
import type { SharedRateLimitCounts } from './rate-limit-counts';
import { createRequestObserver } from './request-observer';
import { registerSecurityHeaders } from './security-headers';

/** What {@link configureHttpApp} needs. */
export interface ConfigureHttpOptions {
  config: Pick<BaseEnv, 'RATE_LIMIT_PER_MINUTE' | 'RATE_LIMIT_SYNC_MS'> & Partial<Pick<BaseEnv, 'HTTP_HSTS_MAX_AGE_SECONDS'>>;
  logger: Logger;
  /** Request spans when on (default: off). */
  tracing?: Tracing;
  /** Shared between the replicas when `shared` is given; `clock` for tests. */
  rateLimit?: HttpRateLimitOptions;
}

/** How the rate limit counts beyond this replica (createServiceApp: in Postgres). */
export interface HttpRateLimitOptions {
  /** The replicas' shared counts; without them each replica limits alone. */
  shared?: SharedRateLimitCounts;
  /** Default `Date.now`; tests move time on. */
  clock?: () => number;
}

/**
 * The Fastify-level part of the platform, for an app whose module imports `PlatformModule`
 * (createHttpApp does this; tests that build their own app call it before `init()`):
 * JSON-only body parsing (nesting bounded), security headers, correlation id, request span,
 * request log and metrics, rate limit.
 */
export async function configureHttpApp(app: NestFastifyApplication, options: ConfigureHttpOptions): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  // Declared up front so every request object has the same shape (V8 hidden classes).
  fastify.decorateRequest('correlationId', '');
  fastify.decorateRequest('authResult', null);
  fastify.decorateRequest('caller', null);
  fastify.decorateRequest('span', null);

  // Only JSON bodies: Fastify's text/plain parser would hand strings to JSON DTOs, and a body
  // without a Content-Type would be accepted. Without a parser Fastify answers 415.
  fastify.removeContentTypeParser('text/plain');
  registerJsonDepthLimit(fastify);
  registerSecurityHeaders(fastify, { hstsMaxAgeSeconds: options.config.HTTP_HSTS_MAX_AGE_SECONDS ?? 0 });

  fastify.addHook('onRequest', (request, reply, done) => {
    assignCorrelationId(request, reply);
    done();
  });
  if (options.tracing) registerRequestTracing(fastify, options.tracing);
  const observe = createRequestObserver(options.logger);
  fastify.addHook('onResponse', (request, reply, done) => {
    observe(request, reply);
    done();
  });

  await registerRateLimit(app, {
    perMinute: options.config.RATE_LIMIT_PER_MINUTE,
    syncMs: options.config.RATE_LIMIT_SYNC_MS,
    verifier: app.get(TokenVerifier),
    logger: options.logger.child({ component: 'rate-limit' }),
    ...options.rateLimit,
  });
}
