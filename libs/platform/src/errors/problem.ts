import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import type { FieldError } from '@watchfloor/contracts';
import { isDatabaseUnavailable } from './database-unavailable';
import { DomainError, ServiceOverloadedError } from './domain-error';
import { HTTP_STATUS_OF_KIND } from './status';

/** Media type of every error body (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem details body, with Watchfloor's `code` and `correlationId` members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  correlationId: string;
  errors?: FieldError[];
}

/** A problem plus what the filter needs besides the body. */
export interface MappedProblem {
  body: ProblemDetails;
  /** Seconds for a `Retry-After` header, when the client should wait. */
  retryAfterSeconds?: number;
  /** True for faults of ours (5xx): log them with the original error. */
  isServerFault: boolean;
}

/** `type` URI of a code: a URN, so it is stable and needs no web page to exist. */
export function problemType(code: string): string {
  return `urn:watchfloor:problem:${code}`;
}

interface FrameworkProblem {
  status: number;
  code: string;
  detail: string;
}

// Fastify's own errors (body parsing) by code: Nest wraps them in an HttpException whose
// `cause` is the Fastify error, or passes 5xx ones through unwrapped.
const FASTIFY_ERRORS: Readonly<Record<string, FrameworkProblem>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'REQUEST.MALFORMED_JSON', detail: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'REQUEST.MALFORMED_JSON', detail: 'The JSON body is empty.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    detail: 'The body must be sent as application/json.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'REQUEST.TOO_LARGE', detail: 'The body is larger than allowed.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'REQUEST.BAD_REQUEST',
    detail: 'Content-Length does not match the body.',
  },
};

// Codes for framework errors that only carry a status (Nest's HttpException, http-errors).
const CODE_OF_STATUS: Readonly<Record<number, string>> = {
  400: 'REQUEST.BAD_REQUEST',
  401: 'AUTH.UNAUTHENTICATED',
  403: 'AUTH.FORBIDDEN',
  404: 'REQUEST.ROUTE_NOT_FOUND',
  405: 'REQUEST.METHOD_NOT_ALLOWED',
  406: 'REQUEST.NOT_ACCEPTABLE',
  408: 'REQUEST.TIMEOUT',
  413: 'REQUEST.TOO_LARGE',
  414: 'REQUEST.URI_TOO_LONG',
  415: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  429: 'REQUEST.RATE_LIMITED',
  431: 'REQUEST.HEADERS_TOO_LARGE',
  503: 'SERVICE.UNAVAILABLE',
};

const INTERNAL_DETAIL = 'An unexpected error occurred. Quote the correlation id when reporting it.';
// Not "nothing changed": a connection lost during COMMIT leaves the outcome unknown (a
// submission sent again with its Idempotency-Key is answered with what was kept, if anything).
const DATABASE_DETAIL = 'The service cannot reach its database just now. Try again shortly.';
/** How long a client is asked to wait when the database is out: a restart takes seconds. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * Maps anything thrown while serving a request to a problem body. Pure: no I/O, no logging;
 * unknown errors become a 500 `INTERNAL` that reveals nothing about them.
 */
export function toProblem(exception: unknown, correlationId: string): MappedProblem {
  if (exception instanceof DomainError) {
    return fromDomainError(exception, correlationId);
  }
  const framework = frameworkProblem(exception);
  if (framework) {
    return {
      body: build(framework.status, framework.code, framework.detail, correlationId),
      isServerFault: false,
    };
  }
  if (isDatabaseUnavailable(exception)) {
    // An outage, not a bug: a 503 the client may retry, logged as a fault for the operator.
    return { body: build(503, 'SERVICE.UNAVAILABLE', DATABASE_DETAIL, correlationId), retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS, isServerFault: true };
  }
  return { body: build(500, 'INTERNAL', INTERNAL_DETAIL, correlationId), isServerFault: true };
}

function fromDomainError(error: DomainError, correlationId: string): MappedProblem {
  const status = HTTP_STATUS_OF_KIND[error.kind];
  // Shedding load is the service working as designed: a 503, but no fault to log.
  const isServerFault = status >= 500 && !(error instanceof ServiceOverloadedError);
  // A 5xx DomainError may wrap an internal failure: keep its message out of the response.
  const detail = isServerFault && error.kind === 'internal' ? INTERNAL_DETAIL : error.message;
  const body = build(status, error.code, detail, correlationId, error.title);
  if (error.errors && error.errors.length > 0) {
    body.errors = error.errors.map((e) => ({ field: e.field, message: e.message }));
  }
  const retryAfterSeconds =
    'retryAfterSeconds' in error && typeof error.retryAfterSeconds === 'number' ? error.retryAfterSeconds : undefined;
  return { body, retryAfterSeconds, isServerFault };
}

function frameworkProblem(exception: unknown): FrameworkProblem | undefined {
  const fastifyCode = fastifyErrorCode(exception);
  if (fastifyCode && FASTIFY_ERRORS[fastifyCode]) {
    return FASTIFY_ERRORS[fastifyCode];
  }
  const status = clientErrorStatus(exception);
  if (status === undefined) {
    return undefined;
  }
  const code = CODE_OF_STATUS[status] ?? `REQUEST.HTTP_${status}`;
  return { status, code, detail: clientDetail(exception, status) };
}

function fastifyErrorCode(exception: unknown): string | undefined {
  const candidate = exception instanceof HttpException ? exception.cause : exception;
  if (candidate instanceof Error && 'code' in candidate && typeof candidate.code === 'string') {
    return candidate.code.startsWith('FST_') ? candidate.code : undefined;
  }
  return undefined;
}

// Only 4xx statuses are trusted from framework errors; a 5xx from a library is still our fault.
function clientErrorStatus(exception: unknown): number | undefined {
  let status: unknown;
  if (exception instanceof HttpException) {
    status = exception.getStatus();
  } else if (exception instanceof Error && 'statusCode' in exception) {
    status = exception.statusCode;
  }
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function clientDetail(exception: unknown, status: number): string {
  if (status === 404) {
    return 'No such route.';
  }
  // Nest's own 4xx messages (e.g. from ParseUUIDPipe) are written for clients.
  if (exception instanceof HttpException) {
    return exception.message;
  }
  return STATUS_CODES[status] ?? 'Request error';
}

function build(status: number, code: string, detail: string, correlationId: string, title?: string): ProblemDetails {
  return {
    type: problemType(code),
    title: title ?? STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    code,
    correlationId,
  };
}
