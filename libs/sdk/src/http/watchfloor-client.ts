import { randomUUID } from 'node:crypto';
import type { IncidentSubmission, IncidentUpdateSubmission } from '@watchfloor/contracts';
import { problemOf, WatchfloorApiError, WatchfloorNetworkError, type Problem } from './errors';
import type { IncidentView, SubmissionResult, UpdateReceipt } from './resources';
import { DEFAULT_RETRY_POLICY, parseRetryAfter, retryDelay, retryReasonForStatus, type RetryPolicy, type RetryReason } from './retry-policy';

/** A bearer token, or a function giving the current one (called before every attempt, so a refreshed token is used). */
export type TokenSource = string | (() => string | Promise<string>);

/** What {@link WatchfloorClient.onRetry} hears before each retry. */
export interface RetryNotice {
  method: string;
  path: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  reason: RetryReason;
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** The wait before the next attempt. */
  delayMs: number;
  idempotencyKey?: string;
}

/** How to reach intake and how hard to try. */
export interface WatchfloorClientOptions {
  /** intake's base URL, e.g. `https://intake.watchfloor.example` (no `/v1`). */
  baseUrl: string;
  token: TokenSource;
  /** Overrides of {@link DEFAULT_RETRY_POLICY}. */
  retry?: Partial<RetryPolicy>;
  /** Longest wait for one attempt's answer (default 10 s); a timeout is retried like a lost connection. */
  timeoutMs?: number;
  /** Called before each retry (logs, metrics). */
  onRetry?: (notice: RetryNotice) => void;
  /** A `fetch` of your own (proxies, instrumentation); default the global one. */
  fetch?: typeof fetch;
}

/** Options of one call. */
export interface CallOptions {
  /** Cancels the call, including a wait between attempts. */
  signal?: AbortSignal;
  /** Sent as `X-Correlation-Id` (the same for every attempt; generated when absent) and echoed in logs and events. */
  correlationId?: string;
}

/** Options of {@link WatchfloorClient.submitIncident}. */
export interface SubmitOptions extends CallOptions {
  /**
   * The report's identity for intake: the same key with the same body gives the same 201
   * again, with another body a 422. Generated (a UUID) when absent, and the same for every
   * attempt of this call. Pass your own (the alert's id) to stay safe across restarts.
   */
  idempotencyKey?: string;
}

/**
 * Which failures an attempt may be repeated after. `any`: the request is safe to repeat
 * (a read, or a submission carrying its Idempotency-Key). `unapplied`: only when the
 * request certainly changed nothing (refused connection, rate limit, overload shedding).
 */
type RepeatSafety = 'any' | 'unapplied';

interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  safety: RepeatSafety;
  options: CallOptions;
  idempotencyKey?: string;
}

/** One attempt that failed in a way that may pass later. */
interface RetryableFailure {
  reason: RetryReason;
  /** True when the request certainly had no effect. */
  unapplied: boolean;
  retryAfterMs?: number;
  status?: number;
  problem?: Problem;
  cause?: unknown;
}

// The IETF Idempotency-Key draft's examples: printable ASCII without spaces (intake's rule too).
const ACCEPTABLE_KEY = /^[\x21-\x7e]{1,255}$/;
const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Intake's API for an automation: submit incidents, add to them, follow them. Requests are
 * retried on lost connections, timeouts, 408, 429 and 5xx with exponential back-off and
 * jitter (honouring `Retry-After`); other 4xx answers are never retried and throw a
 * {@link WatchfloorApiError} carrying the problem+json.
 */
export class WatchfloorClient {
  private readonly baseUrl: string;
  private readonly policy: RetryPolicy;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: WatchfloorClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    if (!Number.isInteger(this.policy.maxAttempts) || this.policy.maxAttempts < 1) throw new TypeError('retry.maxAttempts must be an integer of at least 1');
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * `POST /v1/incidents`. Every attempt carries the same `Idempotency-Key`, so a retry after
   * a lost answer returns the incident the first attempt created instead of a second one.
   */
  async submitIncident(submission: IncidentSubmission, options: SubmitOptions = {}): Promise<SubmissionResult> {
    const idempotencyKey = options.idempotencyKey ?? randomUUID();
    if (!ACCEPTABLE_KEY.test(idempotencyKey)) throw new TypeError('idempotencyKey must be 1 to 255 printable ASCII characters without spaces');
    const { status, body } = await this.request<Omit<SubmissionResult, 'created' | 'idempotencyKey'>>({
      method: 'POST',
      path: '/v1/incidents',
      body: submission,
      headers: { 'idempotency-key': idempotencyKey },
      safety: 'any',
      options,
      idempotencyKey,
    });
    return { created: status === 201, id: body.id, reference: body.reference, status: body.status, receivedAt: body.receivedAt, idempotencyKey };
  }

  /**
   * `POST /v1/incidents/:id/updates`. Intake takes no Idempotency-Key here, so a repeat could
   * add the note twice: this call is retried only when the request certainly did nothing
   * (connection refused, 429, 503 `SERVICE.OVERLOADED`); after a lost answer it throws.
   */
  async addUpdate(incidentId: string, update: IncidentUpdateSubmission, options: CallOptions = {}): Promise<UpdateReceipt> {
    const { body } = await this.request<UpdateReceipt>({ method: 'POST', path: `/v1/incidents/${encodeURIComponent(incidentId)}/updates`, body: update, safety: 'unapplied', options });
    return body;
  }

  /** `GET /v1/incidents/:id`: the incident with its triage status and history. Not found (or not yours to see): 404. */
  async getIncident(incidentId: string, options: CallOptions = {}): Promise<IncidentView> {
    const { body } = await this.request<IncidentView>({ method: 'GET', path: `/v1/incidents/${encodeURIComponent(incidentId)}`, safety: 'any', options });
    return body;
  }

  private async request<T>(spec: RequestSpec): Promise<{ status: number; body: T }> {
    const correlationId = spec.options.correlationId ?? randomUUID();
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.attempt<T>(spec, correlationId, attempt);
      if (outcome.kind === 'ok') return outcome;
      const failure = outcome.failure;
      const repeatable = spec.safety === 'any' || failure.unapplied;
      if (!repeatable || attempt >= this.policy.maxAttempts) throw finalError(spec, failure, attempt);
      const delayMs = retryDelay(attempt, this.policy, failure.retryAfterMs);
      this.options.onRetry?.({
        method: spec.method,
        path: spec.path,
        attempt,
        reason: failure.reason,
        ...(failure.status !== undefined ? { status: failure.status } : {}),
        delayMs,
        ...(spec.idempotencyKey !== undefined ? { idempotencyKey: spec.idempotencyKey } : {}),
      });
      await sleep(delayMs, spec.options.signal);
    }
  }

  private async attempt<T>(spec: RequestSpec, correlationId: string, attempt: number): Promise<{ kind: 'ok'; status: number; body: T } | { kind: 'retry'; failure: RetryableFailure }> {
    spec.options.signal?.throwIfAborted();
    const token = typeof this.options.token === 'function' ? await this.options.token() : this.options.token;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const signal = spec.options.signal ? AbortSignal.any([spec.options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await this.fetch(`${this.baseUrl}${spec.path}`, {
        method: spec.method,
        headers: {
          accept: 'application/json',
          authorization: `Bearer ${token}`,
          'x-correlation-id': correlationId,
          ...(spec.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...spec.headers,
        },
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        signal,
      });
      if (response.ok) return { kind: 'ok', status: response.status, body: (await response.json()) as T };
    } catch (error) {
      // The caller's own cancellation ends the call; anything else is the network's doing.
      if (spec.options.signal?.aborted) throw spec.options.signal.reason;
      return { kind: 'retry', failure: networkFailure(error) };
    }
    const problem = await problemOf(response);
    const reason = retryReasonForStatus(response.status);
    if (reason === undefined) throw new WatchfloorApiError(response.status, problem, attempt);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    // Intake sheds load before it writes anything (docs/intake.md); the rate limiter answers before the handler runs.
    const unapplied = response.status === 429 || (response.status === 503 && problem.code === 'SERVICE.OVERLOADED');
    return { kind: 'retry', failure: { reason, unapplied, status: response.status, problem, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) } };
  }
}

function networkFailure(error: unknown): RetryableFailure {
  if (error instanceof DOMException && error.name === 'TimeoutError') return { reason: 'timeout', unapplied: false, cause: error };
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  // A refused connection never carried the request.
  return { reason: 'network', unapplied: code === 'ECONNREFUSED', cause: error };
}

function finalError(spec: RequestSpec, failure: RetryableFailure, attempts: number): Error {
  if (failure.status !== undefined && failure.problem) return new WatchfloorApiError(failure.status, failure.problem, attempts);
  const why = failure.cause instanceof Error ? (failure.cause.cause instanceof Error ? failure.cause.cause.message : failure.cause.message) : String(failure.cause);
  const unsure = spec.safety === 'unapplied' && !failure.unapplied ? '; the request may or may not have been applied' : '';
  return new WatchfloorNetworkError(`${spec.method} ${spec.path}: no answer after ${attempts} attempt(s) (${failure.reason}: ${why})${unsure}`, attempts, failure.cause);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
