import type { CloudEvent } from '../envelope';
import { AuditCheckpointV1 } from '../events/audit-checkpoint';
import { ExercisePurgedV1 } from '../events/exercise-purged';
import { IncidentCorrelatedV1 } from '../events/incident-correlated';
import {
  IncidentAcknowledgedV1,
  IncidentAssignedV1,
  IncidentEscalatedV1,
  IncidentReprioritizedV1,
  IncidentStatusChangedV1,
} from '../events/incident-handling';
import { IncidentNoteAddedV1 } from '../events/incident-note-added';
import { IncidentReportedV1 } from '../events/incident-reported';
import { IncidentTriagedV1 } from '../events/incident-triaged';
import { IncidentUpdatedV1 } from '../events/incident-updated';
import { NotificationDeliveredV1, NotificationFailedV1 } from '../events/notification-delivery';
import { SubscriptionChangedV1 } from '../events/subscription-changed';
import { EVENT_TYPES, isListedEventType } from './event-types';
import type { StreamName } from './streams';

/** Event type -> payload class: what makes `publish(type, data)` type-checked. */
export interface EventPayloadMap {
  'watchfloor.incident.reported.v1': IncidentReportedV1;
  'watchfloor.incident.updated.v1': IncidentUpdatedV1;
  'watchfloor.incident.triaged.v1': IncidentTriagedV1;
  'watchfloor.incident.reprioritized.v1': IncidentReprioritizedV1;
  'watchfloor.incident.assigned.v1': IncidentAssignedV1;
  'watchfloor.incident.acknowledged.v1': IncidentAcknowledgedV1;
  'watchfloor.incident.escalated.v1': IncidentEscalatedV1;
  'watchfloor.incident.status_changed.v1': IncidentStatusChangedV1;
  'watchfloor.incident.correlated.v1': IncidentCorrelatedV1;
  'watchfloor.incident.note_added.v1': IncidentNoteAddedV1;
  'watchfloor.notification.delivered.v1': NotificationDeliveredV1;
  'watchfloor.notification.failed.v1': NotificationFailedV1;
  'watchfloor.subscription.changed.v1': SubscriptionChangedV1;
  'watchfloor.audit.checkpoint.v1': AuditCheckpointV1;
  'watchfloor.exercise.purged.v1': ExercisePurgedV1;
}

/** An event type of the catalogue, e.g. `watchfloor.incident.reported.v1`. */
export type EventType = keyof EventPayloadMap;

// Fails to compile unless EVENT_TYPES lists exactly the keys of EventPayloadMap.
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const EVENT_TYPES_MATCH_PAYLOADS: Exactly<EventType, (typeof EVENT_TYPES)[number]> = true;

/** True when `value` names an event type of the catalogue. */
export function isEventType(value: unknown): value is EventType {
  return EVENT_TYPES_MATCH_PAYLOADS && isListedEventType(value);
}

/** The full CloudEvent of type `K`. */
export type EventOf<K extends EventType> = CloudEvent<K, EventPayloadMap[K]>;

/** Any event of the catalogue, discriminated by `type`. */
export type AnyEvent = { [K in EventType]: EventOf<K> }[EventType];

/** What the catalogue knows about one event type. */
export interface EventDescriptor<K extends EventType> {
  type: K;
  stream: StreamName;
  /** The subject without its state token, e.g. `incident.reported`. */
  subjectBase: string;
  payload: new () => EventPayloadMap[K];
  /** The CloudEvents `dataschema`. */
  schemaUrl: string;
  /** Published on `<subjectBase>.us` whatever the jurisdiction (subscriptions, audit checkpoints). */
  nationalOnly: boolean;
}

/** Base of every `dataschema` URL. */
export const SCHEMA_BASE_URL = 'https://watchfloor.dev/schemas/';

function describe<K extends EventType>(
  type: K,
  stream: StreamName,
  subjectBase: string,
  payload: new () => EventPayloadMap[K],
  nationalOnly = false,
): EventDescriptor<K> {
  return { type, stream, subjectBase, payload, schemaUrl: `${SCHEMA_BASE_URL}${type.replace(/^watchfloor\./, '')}.json`, nationalOnly };
}

/** The catalogue of EVENTS.md: stream, subject and payload class of every event type. */
export const EVENT_CATALOGUE: { readonly [K in EventType]: EventDescriptor<K> } = {
  'watchfloor.incident.reported.v1': describe('watchfloor.incident.reported.v1', 'INCIDENTS', 'incident.reported', IncidentReportedV1),
  'watchfloor.incident.updated.v1': describe('watchfloor.incident.updated.v1', 'INCIDENTS', 'incident.updated', IncidentUpdatedV1),
  'watchfloor.incident.triaged.v1': describe('watchfloor.incident.triaged.v1', 'INCIDENTS', 'incident.triaged', IncidentTriagedV1),
  'watchfloor.incident.reprioritized.v1': describe('watchfloor.incident.reprioritized.v1', 'INCIDENTS', 'incident.reprioritized', IncidentReprioritizedV1),
  'watchfloor.incident.assigned.v1': describe('watchfloor.incident.assigned.v1', 'INCIDENTS', 'incident.assigned', IncidentAssignedV1),
  'watchfloor.incident.acknowledged.v1': describe('watchfloor.incident.acknowledged.v1', 'INCIDENTS', 'incident.acknowledged', IncidentAcknowledgedV1),
  'watchfloor.incident.escalated.v1': describe('watchfloor.incident.escalated.v1', 'INCIDENTS', 'incident.escalated', IncidentEscalatedV1),
  'watchfloor.incident.status_changed.v1': describe('watchfloor.incident.status_changed.v1', 'INCIDENTS', 'incident.status_changed', IncidentStatusChangedV1),
  'watchfloor.incident.correlated.v1': describe('watchfloor.incident.correlated.v1', 'INCIDENTS', 'incident.correlated', IncidentCorrelatedV1),
  'watchfloor.incident.note_added.v1': describe('watchfloor.incident.note_added.v1', 'INCIDENTS', 'incident.note_added', IncidentNoteAddedV1),
  'watchfloor.notification.delivered.v1': describe('watchfloor.notification.delivered.v1', 'NOTIFICATIONS', 'notification.delivered', NotificationDeliveredV1),
  'watchfloor.notification.failed.v1': describe('watchfloor.notification.failed.v1', 'NOTIFICATIONS', 'notification.failed', NotificationFailedV1),
  'watchfloor.subscription.changed.v1': describe('watchfloor.subscription.changed.v1', 'NOTIFICATIONS', 'notification.subscription', SubscriptionChangedV1, true),
  'watchfloor.audit.checkpoint.v1': describe('watchfloor.audit.checkpoint.v1', 'AUDIT', 'audit.checkpoint', AuditCheckpointV1, true),
  // On INCIDENTS (every service that purges writes it there), so audit records it with the incidents it removed.
  'watchfloor.exercise.purged.v1': describe('watchfloor.exercise.purged.v1', 'INCIDENTS', 'incident.exercise_purged', ExercisePurgedV1, true),
};

export { EVENT_TYPES } from './event-types';
