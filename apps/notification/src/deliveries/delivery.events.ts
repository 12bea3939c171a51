import { createEvent } from '@watchfloor/contracts';
import { NOTIFICATION_SOURCE } from '../subscriptions/subscription.events';
import type { ClaimedDelivery } from './delivery.record';

const ERROR_MAX = 2000;

function outcomeData(delivery: ClaimedDelivery, latencyMs: number) {
  return {
    deliveryId: delivery.id,
    subscriptionId: delivery.subscriptionId,
    eventId: delivery.eventId,
    eventType: delivery.eventType,
    ...(delivery.incidentId ? { incidentId: delivery.incidentId } : {}),
    channel: delivery.channel,
    attempts: Math.min(delivery.attempts, 1000),
    latencyMs: Math.max(0, Math.round(latencyMs)),
    ...(delivery.exercise === undefined ? {} : { exercise: delivery.exercise }),
  };
}

// Outcomes carry the routed event's label and jurisdiction: they say who was told about what.
// The attempt's trace is given, not taken from the context: outcomes are written in batches.
const meta = (delivery: ClaimedDelivery, correlationId: string, traceparent: string | undefined) => ({
  source: NOTIFICATION_SOURCE,
  subject: delivery.incidentId ?? delivery.eventId,
  tlp: delivery.tlp,
  jurisdiction: delivery.jurisdiction,
  correlationId,
  ...(traceparent === undefined ? {} : { traceparent }),
});

/** `notification.delivered.v1`; `traceparent` is the attempt's span. */
export function notificationDelivered(delivery: ClaimedDelivery, latencyMs: number, traceparent?: string) {
  return createEvent('watchfloor.notification.delivered.v1', outcomeData(delivery, latencyMs), meta(delivery, delivery.eventId, traceparent));
}

/** `notification.failed.v1`: an attempt failed; `deadLettered` when no retry follows. */
export function notificationFailed(
  delivery: ClaimedDelivery,
  latencyMs: number,
  failure: { error: string; deadLettered: boolean; httpStatus?: number },
  traceparent?: string,
) {
  return createEvent(
    'watchfloor.notification.failed.v1',
    {
      ...outcomeData(delivery, latencyMs),
      error: failure.error.slice(0, ERROR_MAX),
      deadLettered: failure.deadLettered,
      ...(failure.httpStatus === undefined ? {} : { httpStatus: failure.httpStatus }),
    },
    meta(delivery, delivery.eventId, traceparent),
  );
}
