import type { Span } from '@opentelemetry/api';
import type { Caller } from '../auth/caller';
import type { DomainError } from '../errors/domain-error';

/** Outcome of checking a request's bearer token, computed once per request. */
export type AuthResult = { caller: Caller; error?: undefined } | { caller?: undefined; error: DomainError };

declare module 'fastify' {
  interface FastifyRequest {
    /** `X-Correlation-Id` of the request, read or made (UUIDv7). */
    correlationId: string;
    /** Memoised token check: the rate limiter and the auth guard share one verification. */
    authResult: Promise<AuthResult> | null;
    /** The verified caller, set by the auth guard on routes that are not public. */
    caller: Caller | null;
    /** The request's span while tracing is on (see `registerRequestTracing`). */
    span: Span | null;
  }
  interface FastifyContextConfig {
    /** Route is not logged per request (health probes, metric scrapes). */
    quiet?: boolean;
  }
}
