/**
 * Every event type of the catalogue (EVENTS.md). Kept apart from the catalogue, which
 * imports the payload classes, so that payloads may name event types without a cycle.
 */
export const EVENT_TYPES = [
  'watchfloor.incident.reported.v1',
  'watchfloor.incident.updated.v1',
  'watchfloor.incident.triaged.v1',
  'watchfloor.incident.reprioritized.v1',
  'watchfloor.incident.assigned.v1',
  'watchfloor.incident.acknowledged.v1',
  'watchfloor.incident.escalated.v1',
  'watchfloor.incident.status_changed.v1',
  'watchfloor.incident.correlated.v1',
  'watchfloor.incident.note_added.v1',
  'watchfloor.notification.delivered.v1',
  'watchfloor.notification.failed.v1',
  'watchfloor.subscription.changed.v1',
  'watchfloor.audit.checkpoint.v1',
  'watchfloor.exercise.purged.v1',
] as const;

/** True when `value` is in {@link EVENT_TYPES} (the public guard is `isEventType`). */
export function isListedEventType(value: unknown): value is (typeof EVENT_TYPES)[number] {
  return typeof value === 'string' && (EVENT_TYPES as readonly string[]).includes(value);
}
