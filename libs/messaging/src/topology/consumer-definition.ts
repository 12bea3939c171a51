import { consumerNameFor, EVENT_CATALOGUE, filterSubjectFor, type EventType } from '@watchfloor/contracts';

/** A durable pull consumer of one service for one event type (EVENTS.md). */
export interface ConsumerDefinition {
  service: string;
  eventType: EventType;
  /** `<service>--<event>`, e.g. `triage--incident-reported`. */
  durable: string;
  /** Stream it reads (unprefixed), from the catalogue. */
  stream: string;
  /** The one filter subject (unprefixed), e.g. `incident.reported.>`. */
  filterSubject: string;
  /** Deliveries before the message is dead-lettered. Must exceed `backoffMs.length`. */
  maxDeliver: number;
  /** Wait before redelivery n+1 after delivery n failed (also the server's ack wait per delivery). */
  backoffMs: number[];
}

/** Overrides for a consumer; tests use a short back-off. */
export type ConsumerOverrides = Partial<Pick<ConsumerDefinition, 'maxDeliver' | 'backoffMs' | 'filterSubject' | 'durable'>>;

/** EVENTS.md: max_deliver 5 with a back-off of 1 s, 5 s, 30 s, 2 min. */
export const DEFAULT_MAX_DELIVER = 5;
export const DEFAULT_BACKOFF_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];

/**
 * Declares the durable consumer of `service` for `type`: its name, stream and one filter
 * subject (nats-server 2.9 allows only one), explicit ack, max deliveries and back-off.
 */
export function defineConsumer(service: string, type: EventType, overrides: ConsumerOverrides = {}): ConsumerDefinition {
  if (!/^[a-z][a-z0-9-]*$/.test(service)) throw new Error(`service name "${service}" must be lower-case letters, digits and dashes`);
  const definition: ConsumerDefinition = {
    service,
    eventType: type,
    durable: overrides.durable ?? consumerNameFor(service, type),
    stream: EVENT_CATALOGUE[type].stream,
    filterSubject: overrides.filterSubject ?? filterSubjectFor(type),
    maxDeliver: overrides.maxDeliver ?? DEFAULT_MAX_DELIVER,
    backoffMs: [...(overrides.backoffMs ?? DEFAULT_BACKOFF_MS)],
  };
  if (definition.backoffMs.length === 0) throw new Error(`${definition.durable}: backoffMs must not be empty`);
  // The server refuses a back-off list as long as max_deliver or longer.
  if (definition.maxDeliver <= definition.backoffMs.length) {
    throw new Error(`${definition.durable}: maxDeliver (${definition.maxDeliver}) must exceed the ${definition.backoffMs.length} back-off steps`);
  }
  return definition;
}

/** Delay before the next delivery after delivery number `deliveryCount` (1-based) failed. */
export function backoffFor(definition: Pick<ConsumerDefinition, 'backoffMs'>, deliveryCount: number): number {
  const steps = definition.backoffMs;
  return steps[Math.min(Math.max(deliveryCount, 1), steps.length) - 1] ?? 1_000;
}
