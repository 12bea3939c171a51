import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import '../http/request-context';
import { UNMATCHED_ROUTE } from '../http/request-observer';
import { contextOfTraceparent, withActiveSpan } from './trace-context';
import type { Tracing } from './tracing';

/**
 * One SERVER span per request, `POST /v1/incidents` (method and route template), continuing
 * the caller's `traceparent` if it sent one. It is made active just before the handler (after
 * the body is read: the body's stream events would lose it), so what the handler logs,
 * writes to the outbox or calls belongs to it; it ends with the response. Quiet routes
 * (health probes, metric scrapes) get none. With tracing off no hook is added.
 */
export function registerRequestTracing(fastify: FastifyInstance, tracing: Tracing): void {
  if (!tracing.enabled) return;
  const { tracer } = tracing;
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.routeOptions.config?.quiet === true) return done();
    const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    const traceparent = request.headers['traceparent'];
    request.span = tracer.startSpan(
      `${request.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': request.method,
          'http.route': route,
          'url.path': request.url.split('?', 1)[0] ?? request.url,
          'watchfloor.correlation_id': request.correlationId,
        },
      },
      contextOfTraceparent(typeof traceparent === 'string' ? traceparent : undefined),
    );
    done();
  });
  fastify.addHook('preHandler', (request, _reply, done) => {
    if (request.span) withActiveSpan(request.span, done);
    else done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const span = request.span;
    if (span) {
      span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    done();
  });
}
