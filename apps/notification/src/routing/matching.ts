import { comparePriority, ocdContains, tlpAllows, type IncidentCategory, type PriorityLevel, type Tlp } from '@watchfloor/contracts';
import type { SubscriptionRecord } from '../subscriptions/subscription.record';
import type { RoutableEventType } from './routable-events';

/** What routing knows of an event: its type and effective TLP, and what it knows of the incident(s) it is about. */
export interface RoutedEvent {
  type: RoutableEventType;
  /** The stricter of the event's label and the incident's. */
  tlp: Tlp;
  /** The incident's jurisdiction, or a cluster's jurisdictions. */
  jurisdictions: readonly string[];
  /** Categories of the incident(s), as far as known. */
  categories: readonly IncidentCategory[];
  /** The priority, when triage has set one (a cluster: the highest). */
  priority?: PriorityLevel;
  /** Reporting organisation of each incident concerned (undefined when the reporter had none). */
  reportingOrgs: ReadonlyArray<string | undefined>;
  /** The event's `time`. */
  publishedAt: Date;
  /** The exercise of the event or of its incident(s); undefined for real traffic. */
  exercise?: string;
}

/** How much older than a subscription an event may be and still reach it (clock skew between services). */
export const SUBSCRIPTION_HISTORY_GRACE_MS = 60_000;

/**
 * Whether `subscription` receives `event` (DOMAIN.md, TLP 2.0): its type is asked for; the
 * label is within the clearance; `red` never leaves; `amber+strict` goes only to the
 * reporting organisation (every incident of a cluster must be that organisation's); and
 * each filter criterion given matches; and it is of the event's exercise (or both are real). An unknown priority matches no `minPriority`. An
 * event published before the subscription existed (a replay, a backlog) is not sent to it.
 */
export function matches(subscription: SubscriptionRecord, event: RoutedEvent): boolean {
  return exerciseMatches(subscription, event) && typeMatches(subscription, event) && isNews(subscription, event) && tlpPermits(subscription, event) && filterMatches(subscription, event);
}

/** An exercise's events go to that exercise's subscriptions only; real events never to an exercise's. */
function exerciseMatches(subscription: SubscriptionRecord, event: RoutedEvent): boolean {
  return subscription.exercise === event.exercise;
}

function isNews(subscription: SubscriptionRecord, event: RoutedEvent): boolean {
  return event.publishedAt.getTime() >= subscription.createdAt.getTime() - SUBSCRIPTION_HISTORY_GRACE_MS;
}

function typeMatches(subscription: SubscriptionRecord, event: RoutedEvent): boolean {
  return subscription.events.includes(event.type);
}

/** The TLP rules alone (exported for tests and for the reason a delivery was not made). */
export function tlpPermits(subscription: Pick<SubscriptionRecord, 'clearance' | 'owner'>, event: Pick<RoutedEvent, 'tlp' | 'reportingOrgs'>): boolean {
  if (event.tlp === 'red') return false;
  if (!tlpAllows(subscription.clearance, event.tlp)) return false;
  if (event.tlp === 'amber+strict') {
    const org = subscription.owner.org;
    return org !== undefined && event.reportingOrgs.length > 0 && event.reportingOrgs.every((reporting) => reporting === org);
  }
  return true;
}

function filterMatches({ filter }: SubscriptionRecord, event: RoutedEvent): boolean {
  if (filter.minPriority && (!event.priority || comparePriority(event.priority, filter.minPriority) < 0)) return false;
  if (filter.jurisdictions && !filter.jurisdictions.some((prefix) => event.jurisdictions.some((j) => ocdContains(prefix, j)))) return false;
  if (filter.categories && !filter.categories.some((category) => event.categories.includes(category))) return false;
  return true;
}
