import type { EventType } from '@watchfloor/contracts';

/**
 * Event types a subscription may ask for: what EVENTS.md routes to notification, plus
 * `incident.updated` (new observables are what a takedown partner acts on). Notes and
 * notification's own outcomes are not routed.
 */
export const ROUTABLE_EVENT_TYPES = [
  'watchfloor.incident.reported.v1',
  'watchfloor.incident.updated.v1',
  'watchfloor.incident.triaged.v1',
  'watchfloor.incident.reprioritized.v1',
  'watchfloor.incident.assigned.v1',
  'watchfloor.incident.acknowledged.v1',
  'watchfloor.incident.escalated.v1',
  'watchfloor.incident.status_changed.v1',
  'watchfloor.incident.correlated.v1',
] as const satisfies readonly EventType[];

export type RoutableEventType = (typeof ROUTABLE_EVENT_TYPES)[number];
