import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { counter, histogram } from '../metrics/metrics-registry';
import './request-context';

type HttpLabels = 'method' | 'route' | 'status';

/** Route label of requests no route matched (keeps label cardinality bounded). */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Builds the `onResponse` step that counts, times and logs each request: one counter
 * increment, one histogram observation and at most one log line, with no child logger.
 */
export function createRequestObserver(logger: Logger): (request: FastifyRequest, reply: FastifyReply) => void {
  const requests = counter<HttpLabels>({
    name: 'http_requests_total',
    help: 'HTTP requests by route template, method and status',
    labelNames: ['method', 'route', 'status'],
  });
  const duration = histogram<HttpLabels>({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });

  return (request, reply) => {
    const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    const labels = { method: request.method, route, status: reply.statusCode };
    const ms = reply.elapsedTime;
    requests.inc(labels);
    duration.observe(labels, ms / 1000);
    if (request.routeOptions.config?.quiet === true) return;
    // A 503 is a service shedding load or not ready: worth a warning, not an error per request.
    const level = reply.statusCode === 503 ? 'warn' : reply.statusCode >= 500 ? 'error' : 'info';
    if (!logger.isLevelEnabled(level)) return;
    logger[level](
      {
        correlationId: request.correlationId,
        traceId: request.span?.spanContext().traceId,
        sub: request.caller?.sub,
        method: request.method,
        url: request.url,
        route,
        status: reply.statusCode,
        ms: Math.round(ms * 100) / 100,
      },
      'request',
    );
  };
}
