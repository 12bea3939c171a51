import { type Span, SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { contextOfTraceparent } from '@watchfloor/platform';
import type { AttemptResult } from './attempt';
import type { ClaimedDelivery } from './delivery.record';

/**
 * The CLIENT span of one delivery attempt, `deliver webhook` or `deliver email`, a child of
 * the consumer span that routed the event. Its attributes name the delivery, never the
 * target's path or query (they may carry a partner's token): only its host.
 */
export function startDeliverySpan(tracer: Tracer, delivery: ClaimedDelivery): Span {
  return tracer.startSpan(`deliver ${delivery.channel}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'watchfloor.delivery.id': delivery.id,
      'watchfloor.delivery.channel': delivery.channel,
      'watchfloor.delivery.attempt': delivery.attempts,
      'watchfloor.subscription.id': delivery.subscriptionId,
      'cloudevents.event_id': delivery.eventId,
      'cloudevents.event_type': delivery.eventType,
      ...(delivery.channel === 'webhook' ? { 'http.request.method': 'POST', 'server.address': hostOf(delivery.target) } : {}),
    },
  }, contextOfTraceparent(delivery.traceparent));
}

/** Records how the attempt went and ends the span. */
export function endDeliverySpan(span: Span, result: AttemptResult, shortCircuited: boolean): void {
  if (result.httpStatus !== undefined) span.setAttribute('http.response.status_code', result.httpStatus);
  if (shortCircuited) span.setAttribute('watchfloor.delivery.short_circuited', true);
  if (!result.ok) span.setStatus({ code: SpanStatusCode.ERROR, message: result.error });
  span.end();
}

function hostOf(target: string): string {
  try {
    return new URL(target).hostname;
  } catch {
    return 'invalid';
  }
}
