import { type Context, context, isSpanContextValid, ROOT_CONTEXT, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { parseTraceParent } from '@opentelemetry/core';

/** Trace and span id of a log line written inside a span. */
export interface TraceIds {
  traceId: string;
  spanId: string;
}

/** The W3C `traceparent` of a span (`00-<trace id>-<span id>-<flags>`), if it has a valid context. */
export function traceparentOfSpan(span: Span | undefined): string | undefined {
  const spanContext = span?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return `00-${spanContext.traceId}-${spanContext.spanId}-0${(spanContext.traceFlags & 0xff).toString(16)}`;
}

/**
 * The `traceparent` of the span active here, for an event or a request made on its behalf.
 * Undefined outside any span, and always when tracing is off (no context is kept then).
 */
export function activeTraceparent(): string | undefined {
  return traceparentOfSpan(trace.getSpan(context.active()));
}

/**
 * The context a span continuing `traceparent` starts in (its parent is the remote span);
 * an absent or malformed value gives the root context, so the span starts a trace of its own.
 */
export function contextOfTraceparent(traceparent: string | undefined): Context {
  const parent = traceparent === undefined ? null : parseTraceParent(traceparent);
  return parent ? trace.setSpanContext(ROOT_CONTEXT, { ...parent, isRemote: true }) : ROOT_CONTEXT;
}

/** Ids of the span active here, for log lines; undefined outside any span. */
export function activeTraceIds(): TraceIds | undefined {
  const spanContext = trace.getSpan(context.active())?.spanContext();
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return { traceId: spanContext.traceId, spanId: spanContext.spanId };
}

/** Runs `work` with `span` active: log lines, events and child spans made in it belong to it. */
export function withActiveSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Records a failure on `span` (exception event and error status). */
export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
