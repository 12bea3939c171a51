import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { addressRefusal, checkWebhookTarget, guardedLookup, literalAddress, type ResolveHost, systemResolver, TargetRefusedError, type TargetPolicy } from '../targets/target-policy';
import type { AttemptResult } from './attempt';
import { parseRetryAfter } from './retry-policy';
import { webhookSignature } from './webhook-signature';

/** One webhook attempt: the delivery id (`webhook-id`), where, what, and the secrets to sign with. */
export interface WebhookAttempt {
  id: string;
  target: string;
  body: string;
  secrets: readonly string[];
  /** The attempt's span, sent as the `traceparent` header so the partner may continue the trace. */
  traceparent?: string;
}

class AttemptTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
  }
}

/**
 * Posts signed CloudEvents (Standard Webhooks). Every connection goes through the SSRF
 * policy: literal addresses are checked here, host names in the DNS lookup of the socket,
 * so the address connected to is the one checked. Redirects are never followed (a 3xx is a
 * final failure naming it): the Location could point anywhere, checked or not. Keep-alive
 * agents reuse connections to busy receivers.
 */
export class WebhookSender {
  private readonly lookup: LookupFunction;
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 64 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 64 }),
  };

  constructor(
    private readonly policy: TargetPolicy,
    private readonly timeoutMs: number,
    resolveHost: ResolveHost = systemResolver,
    /** Ms since the epoch: Postgres's time in the service, so signatures carry it whatever this process's clock says. */
    private readonly now: () => number = Date.now,
  ) {
    this.lookup = guardedLookup(policy, resolveHost);
  }

  send(attempt: WebhookAttempt): Promise<AttemptResult> {
    // The policy may have changed since the subscription was made: check again.
    const checked = checkWebhookTarget(attempt.target, this.policy);
    if (!checked.ok) return Promise.resolve({ ok: false, retryable: false, notTargetFault: true, error: checked.message });
    const url = new URL(checked.value);
    const literal = literalAddress(url);
    const refusal = literal === undefined ? undefined : addressRefusal(literal, this.policy);
    if (refusal) return Promise.resolve({ ok: false, retryable: false, notTargetFault: true, error: `target refused: ${refusal}` });

    const timestamp = Math.floor(this.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(attempt.body)),
      'user-agent': 'Watchfloor-Webhooks/1',
      'webhook-id': attempt.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': webhookSignature(attempt.secrets, attempt.id, timestamp, attempt.body),
      ...(attempt.traceparent === undefined ? {} : { traceparent: attempt.traceparent }),
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<AttemptResult>((resolve) => {
      const request = client.request(url, { method: 'POST', headers, agent: this.agents[url.protocol as 'http:' | 'https:'], lookup: this.lookup });
      const timer = setTimeout(() => request.destroy(new AttemptTimeout(this.timeoutMs)), this.timeoutMs);
      const finish = (result: AttemptResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      request.on('response', (response) => {
        // The body is neither needed nor kept (it could hold anything); drain it to reuse the connection.
        response.resume();
        response.on('error', (error) => finish(failureOf(error)));
        response.on('end', () => finish(resultOf(response.statusCode ?? 0, response.headers['retry-after'], this.now())));
      });
      request.on('error', (error) => finish(failureOf(error)));
      request.end(attempt.body);
    });
  }

  close(): void {
    this.agents['http:'].destroy();
    this.agents['https:'].destroy();
  }
}

/** 2xx succeeds; 408, 429 and 5xx are retried (honouring Retry-After); other answers are final. */
function resultOf(status: number, retryAfter: string | undefined, now: number): AttemptResult {
  if (status >= 200 && status < 300) return { ok: true, httpStatus: status };
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    return { ok: false, retryable: true, httpStatus: status, error: `HTTP ${status}`, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  const why = status >= 300 && status < 400 ? ' (redirects are not followed: subscribe the final URL)' : '';
  return { ok: false, retryable: false, httpStatus: status, error: `HTTP ${status}${why}` };
}

function failureOf(error: Error): AttemptResult {
  if (error instanceof TargetRefusedError) return { ok: false, retryable: false, notTargetFault: true, error: error.message };
  if (error instanceof AttemptTimeout) return { ok: false, retryable: true, error: error.message };
  const code = (error as NodeJS.ErrnoException).code;
  return { ok: false, retryable: true, error: `connection failed: ${code ?? error.message}` };
}
