import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** What to send: pre-serialised bodies, sent in turn, with the caller's token. */
export interface LoadTarget {
  /** Origin of intake, e.g. `http://127.0.0.1:3001`. */
  url: string;
  /** Bearer token; empty: no Authorization header (a peer system without auth). */
  token: string;
  bodies: readonly Buffer[];
  idempotencyKeys: boolean;
  /** Path POSTed to (default `/v1/incidents`). */
  path?: string;
  /** Makes each body instead of cycling through `bodies` (e.g. a unique alert per request). */
  nextBody?: () => Buffer;
}

/** Called for every complete response; `atMs` is `performance.now()` at completion. */
export type ResponseSink = (status: number, body: string, latencyMs: number, atMs: number) => void;

/** How a load phase ended, besides the responses the sink saw. */
export interface LoadOutcome {
  elapsedMs: number;
  /** Connection errors (refused, reset). */
  errors: number;
  timeouts: number;
  /** Open loop only: sends skipped because too many requests were already waiting. */
  notSent: number;
}

const DEFAULT_PATH = '/v1/incidents';
const REQUEST_TIMEOUT_S = 30;

function headersFor(target: LoadTarget): Record<string, string> {
  return { ...(target.token ? { authorization: `Bearer ${target.token}` } : {}), 'content-type': 'application/json' };
}

/** Cycles through the bodies (or asks the target's `nextBody`); shared by both loops so they send the same sequence. */
function bodyCycle(target: LoadTarget): () => Buffer {
  if (target.nextBody) return target.nextBody;
  const bodies = target.bodies;
  let next = 0;
  return () => {
    const body = bodies[next] as Buffer;
    next = (next + 1) % bodies.length;
    return body;
  };
}

/**
 * Closed loop: every connection sends its next request as soon as the previous answer
 * arrives (autocannon), so the rate is whatever the server sustains at this concurrency.
 */
export async function runClosedLoop(target: LoadTarget, options: { connections: number; durationS: number }, sink: ResponseSink): Promise<LoadOutcome> {
  const nextBody = bodyCycle(target);
  // autocannon hands over the body in onResponse and the latency in the 'response' event
  // it emits right after, synchronously, for the same response: the body waits here.
  let lastBody = '';
  const started = performance.now();
  const instance = autocannon({
    url: target.url,
    connections: options.connections,
    duration: options.durationS,
    timeout: REQUEST_TIMEOUT_S,
    headers: headersFor(target),
    requests: [
      {
        method: 'POST',
        path: target.path ?? DEFAULT_PATH,
        setupRequest: (request) => ({
          ...request,
          body: nextBody(),
          ...(target.idempotencyKeys ? { headers: { ...request.headers, 'idempotency-key': randomUUID() } } : {}),
        }),
        onResponse: (_status, body) => {
          lastBody = body;
        },
      },
    ],
  });
  instance.on('response', (_client, status, _bytes, latencyMs) => {
    sink(status, lastBody, latencyMs, performance.now());
    lastBody = '';
  });
  const result = await instance;
  // autocannon counts a timeout as an error too.
  return { elapsedMs: performance.now() - started, errors: result.errors - result.timeouts, timeouts: result.timeouts, notSent: 0 };
}

/** Open-loop settings: `rate` requests per second for `durationS`, over at most `connections` sockets. */
export interface OpenLoopOptions {
  connections: number;
  durationS: number;
  rate: number;
}

/**
 * Open loop: requests are scheduled at a fixed rate whatever the server does, and latency
 * is measured from the scheduled time, so a stalling server shows in the percentiles
 * instead of silently slowing the load (coordinated omission). Requests beyond the
 * sockets queue in the agent; past a bound they are skipped and counted as not sent.
 */
export async function runOpenLoop(target: LoadTarget, options: OpenLoopOptions, sink: ResponseSink): Promise<LoadOutcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const origin = new URL(target.url);
  const headers = headersFor(target);
  const nextBody = bodyCycle(target);
  const total = Math.round(options.rate * options.durationS);
  const intervalMs = 1000 / options.rate;
  const maxWaiting = options.connections * 16;
  const outcome: LoadOutcome = { elapsedMs: 0, errors: 0, timeouts: 0, notSent: 0 };
  let inFlight = 0;
  let scheduled = 0;
  const started = performance.now();

  const send = (scheduledAt: number) => {
    const body = nextBody();
    const requestHeaders = { ...headers, 'content-length': String(body.length), ...(target.idempotencyKeys ? { 'idempotency-key': randomUUID() } : {}) };
    inFlight += 1;
    const req = request({ agent, host: origin.hostname, port: origin.port, method: 'POST', path: target.path ?? DEFAULT_PATH, headers: requestHeaders }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        inFlight -= 1;
        const now = performance.now();
        sink(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), now - scheduledAt, now);
      });
    });
    req.setTimeout(REQUEST_TIMEOUT_S * 1000, () => req.destroy(new TimeoutError()));
    req.on('error', (error) => {
      inFlight -= 1;
      if (error instanceof TimeoutError) outcome.timeouts += 1;
      else outcome.errors += 1;
    });
    req.end(body);
  };

  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
      for (; scheduled < due; scheduled++) {
        if (inFlight >= maxWaiting) outcome.notSent += 1;
        else send(started + scheduled * intervalMs);
      }
      if (scheduled < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await waitUntil(() => inFlight === 0, REQUEST_TIMEOUT_S * 1000);
  agent.destroy();
  outcome.elapsedMs = options.durationS * 1000;
  return outcome;
}

class TimeoutError extends Error {}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  for (const deadline = performance.now() + timeoutMs; !condition() && performance.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
