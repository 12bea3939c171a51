import { type Span, SpanKind, type Tracer } from '@opentelemetry/api';
import type { CloudEvent } from '@watchfloor/contracts';
import { contextOfTraceparent } from '@watchfloor/platform';

/** What a consumer span says about the message it handles. */
export interface ConsumedMessage {
  /** The subject it arrived on. */
  subject: string;
  /** The durable consumer that delivered it. */
  durable: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
  event: Pick<CloudEvent, 'id' | 'type' | 'correlationid' | 'traceparent'>;
}

/**
 * The CONSUMER span `process <subject>` of one event's handling, a child of the span that
 * wrote the event (its `traceparent`), so one incident is one trace across the services.
 * An event without one starts a trace of its own.
 */
export function startConsumerSpan(tracer: Tracer, consumed: ConsumedMessage): Span {
  const { event } = consumed;
  return tracer.startSpan(`process ${consumed.subject}`, {
    kind: SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'nats',
      'messaging.operation.type': 'process',
      'messaging.destination.name': consumed.subject,
      'messaging.consumer.group.name': consumed.durable,
      'messaging.message.id': event.id,
      'messaging.message.delivery_count': consumed.deliveryCount,
      'cloudevents.event_type': event.type,
      'watchfloor.correlation_id': event.correlationid,
    },
  }, contextOfTraceparent(event.traceparent));
}
