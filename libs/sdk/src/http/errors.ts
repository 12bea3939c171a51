import type { FieldError } from '@watchfloor/contracts';

/** An RFC 9457 problem details body as Watchfloor's services send it (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** Stable dotted code, e.g. `INCIDENT.IDEMPOTENCY_KEY_REUSED`, `REQUEST.VALIDATION`. */
  code: string;
  /** Quote it when you report a problem: it is in every log line of the request. */
  correlationId: string;
  /** For validation errors: each field at fault, by path (`observables[1].value`). */
  errors?: FieldError[];
}

/** Every error the SDK throws. */
export class WatchfloorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The service answered with an error: a 4xx that retrying cannot fix (validation, auth,
 * an Idempotency-Key reused with another body), or a 429/5xx that outlasted the retries.
 */
export class WatchfloorApiError extends WatchfloorError {
  /** The problem+json body (a minimal one when the answer had none). */
  readonly problem: Problem;

  constructor(
    readonly status: number,
    problem: Problem,
    /** Attempts made, the failing one included. */
    readonly attempts: number,
  ) {
    super(`${status} ${problem.code}: ${problem.detail}${describeFields(problem.errors)}`);
    this.problem = problem;
  }

  /** The problem's stable code. */
  get code(): string {
    return this.problem.code;
  }

  /** The fields at fault (empty unless the request was invalid). */
  get fields(): FieldError[] {
    return this.problem.errors ?? [];
  }

  get correlationId(): string {
    return this.problem.correlationId;
  }
}

/** No answer came (connection refused or reset, DNS, timeout) in any attempt. */
export class WatchfloorNetworkError extends WatchfloorError {
  constructor(
    message: string,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

function describeFields(errors: readonly FieldError[] | undefined): string {
  if (!errors || errors.length === 0) return '';
  return ` (${errors.map((e) => (e.message.startsWith(e.field) ? e.message : `${e.field}: ${e.message}`)).join('; ')})`;
}

/** The problem of an error answer, or one made from its status when the body is not problem+json. */
export async function problemOf(response: Response): Promise<Problem> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    if (typeof body === 'object' && body !== null && typeof body.code === 'string') {
      return {
        type: String(body.type ?? 'about:blank'),
        title: String(body.title ?? response.statusText),
        status: response.status,
        detail: String(body.detail ?? ''),
        code: body.code,
        correlationId: String(body.correlationId ?? response.headers.get('x-correlation-id') ?? ''),
        ...(Array.isArray(body.errors) ? { errors: body.errors } : {}),
      };
    }
  } catch {
    // Not JSON: a proxy's error page, say. Described from the status below.
  }
  return {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
    detail: text.slice(0, 200),
    code: `HTTP.${response.status}`,
    correlationId: response.headers.get('x-correlation-id') ?? '',
  };
}
