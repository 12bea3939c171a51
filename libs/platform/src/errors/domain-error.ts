import type { FieldError } from '@watchfloor/contracts';

/**
 * What kind of failure a {@link DomainError} is. Services pick a kind; only platform knows
 * which HTTP status (or, for messaging, retry policy) each kind maps to.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

/** Options of a {@link DomainError}. */
export interface DomainErrorOptions {
  /** Field-level problems, e.g. `observables[2].value`. */
  errors?: readonly FieldError[];
  /** Underlying error, kept for logs; never sent to clients. */
  cause?: unknown;
  /** Short, stable human summary of the problem type; defaults to the status text. */
  title?: string;
}

/**
 * Base of every error a service raises on purpose. `code` is a stable dotted identifier
 * (`INCIDENT.NOT_FOUND`) that clients may switch on; `message` is the human detail.
 * Services throw these, never `HttpException`.
 */
export class DomainError extends Error {
  /** Stable dotted code, part of the public contract. */
  readonly code: string;
  /** Failure kind; decides the HTTP status. */
  readonly kind: ErrorKind;
  /** Field-level problems, if any. */
  readonly errors?: readonly FieldError[];
  /** Optional problem-type title. */
  readonly title?: string;

  constructor(code: string, kind: ErrorKind, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.kind = kind;
    this.errors = options.errors;
    this.title = options.title;
  }
}

/** 404: the object does not exist or the caller may not know that it does. */
export class NotFoundError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super(code, 'not_found', message, options);
  }
}

/** 403: the caller is known but not allowed. */
export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super(code, 'forbidden', message, options);
  }
}

/** 409: the request conflicts with the current state (e.g. an illegal transition). */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super(code, 'conflict', message, options);
  }
}

/** 412: a stale `If-Match` version. */
export class PreconditionFailedError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super(code, 'precondition_failed', message, options);
  }
}

/** 422: well-formed but semantically unacceptable (e.g. idempotency key reused with another body). */
export class UnprocessableError extends DomainError {
  constructor(code: string, message: string, options?: DomainErrorOptions) {
    super(code, 'unprocessable', message, options);
  }
}

/** 401: no valid credentials. */
export class UnauthenticatedError extends DomainError {
  constructor(message = 'A valid bearer token is required.', options?: DomainErrorOptions) {
    super('AUTH.UNAUTHENTICATED', 'unauthenticated', message, options);
  }
}

/** 400 `REQUEST.VALIDATION`: the input broke validation rules; `errors` names each field. */
export class RequestValidationError extends DomainError {
  constructor(errors: readonly FieldError[], message = 'The request is not valid.') {
    super('REQUEST.VALIDATION', 'bad_request', message, { errors });
  }
}

/** 429 `REQUEST.RATE_LIMITED`, with the seconds after which the caller may retry. */
export class RateLimitedError extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('REQUEST.RATE_LIMITED', 'rate_limited', `Too many requests; retry in ${retryAfterSeconds} s.`);
  }
}

/**
 * 503 `SERVICE.OVERLOADED`: the service sheds load and did nothing with the request; retry
 * after `retryAfterSeconds`. A deliberate answer, not a fault: it is not logged as an error.
 */
export class ServiceOverloadedError extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message = `The service is overloaded and did nothing with this request; retry in ${retryAfterSeconds} s.`,
  ) {
    super('SERVICE.OVERLOADED', 'unavailable', message);
  }
}
