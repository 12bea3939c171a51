import { consumerNameFor, EVENT_CATALOGUE, EVENT_TYPES, type EventType } from '@watchfloor/contracts';
import { ROUTABLE_EVENT_TYPES } from '../../apps/notification/src/routing/routable-events';

/** A service schema holding an outbox (and, for consumers, an inbox). */
export type ServiceSchema = 'intake' | 'triage' | 'notification' | 'audit';

/** Where a consumer keeps the record of what it handled. */
export type Holding =
  /** `<schema>.inbox`, one row per (durable consumer `<service>--<event>`, event id). */
  | { kind: 'inbox'; schema: ServiceSchema }
  /** `audit.entry`: audit records events in its chain, not in an inbox (one entry per event id). */
  | { kind: 'audit-entry' };

/** One edge of the event flow: what `consumer` must hold of `producer`'s published events. */
export interface Route {
  producer: ServiceSchema;
  consumer: ServiceSchema;
  /** Types of the producer's outbox the consumer handles. */
  types: readonly EventType[];
  record: Holding;
}

/** Every type on the streams audit records (apps/audit/src/recording/stream-recorder.ts RECORDED_STREAMS). */
const AUDITED_TYPES: readonly EventType[] = EVENT_TYPES.filter((type) => ['INCIDENTS', 'NOTIFICATIONS'].includes(EVENT_CATALOGUE[type].stream));

/** apps/triage/src/triage-app.ts triageConsumers and incidents/incident-events.handler.ts. */
const TRIAGE_HANDLES: readonly EventType[] = ['watchfloor.incident.reported.v1', 'watchfloor.incident.updated.v1'];

/** apps/intake/src/tracking/triage-events.handler.ts. */
const INTAKE_HANDLES: readonly EventType[] = [
  'watchfloor.incident.triaged.v1',
  'watchfloor.incident.acknowledged.v1',
  'watchfloor.incident.status_changed.v1',
  'watchfloor.incident.reprioritized.v1',
];

/**
 * Who consumes whose events (EVENTS.md, checked against the services' handlers). A
 * consumer's type list may name types its producer never emits: those simply match no row.
 * Audit's own outbox holds only checkpoints, which no service must hold, so it produces no route.
 */
export const ROUTES: readonly Route[] = [
  { producer: 'intake', consumer: 'triage', types: TRIAGE_HANDLES, record: { kind: 'inbox', schema: 'triage' } },
  { producer: 'intake', consumer: 'notification', types: ROUTABLE_EVENT_TYPES, record: { kind: 'inbox', schema: 'notification' } },
  { producer: 'intake', consumer: 'audit', types: AUDITED_TYPES, record: { kind: 'audit-entry' } },
  { producer: 'triage', consumer: 'intake', types: INTAKE_HANDLES, record: { kind: 'inbox', schema: 'intake' } },
  { producer: 'triage', consumer: 'notification', types: ROUTABLE_EVENT_TYPES, record: { kind: 'inbox', schema: 'notification' } },
  { producer: 'triage', consumer: 'audit', types: AUDITED_TYPES, record: { kind: 'audit-entry' } },
  { producer: 'notification', consumer: 'audit', types: AUDITED_TYPES, record: { kind: 'audit-entry' } },
];

/** Producers whose outboxes are checked for stuck rows (every schema with an outbox). */
export const PRODUCERS: readonly ServiceSchema[] = ['intake', 'triage', 'notification', 'audit'];

/** The inbox consumer name of `consumer` for `type`: the transport's durable, `<service>--<event>`. */
export function inboxConsumerName(consumer: ServiceSchema, type: EventType): string {
  return consumerNameFor(consumer, type);
}
