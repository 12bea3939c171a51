import type { DeliveryChannel, IncidentCategory, PriorityLevel, Tlp } from '@watchfloor/contracts';
import type { RoutableEventType } from '../routing/routable-events';

/** Which events of its types a subscription receives. */
export interface SubscriptionFilter {
  minPriority?: PriorityLevel;
  jurisdictions?: string[];
  categories?: IncidentCategory[];
}

/** Whose a subscription is: the caller's `sub` and `org` (amber+strict goes only to the reporting org). */
export interface SubscriptionOwner {
  sub: string;
  org?: string;
}

/** A subscription as stored; secrets sealed by the {@link SecretBox}. */
export interface SubscriptionRecord {
  id: string;
  name: string;
  channel: DeliveryChannel;
  target: string;
  events: RoutableEventType[];
  filter: SubscriptionFilter;
  owner: SubscriptionOwner;
  clearance: Tlp;
  sealedSecret?: string;
  sealedPreviousSecret?: string;
  previousSecretExpiresAt?: Date;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  /** The exercise it belongs to: it receives that exercise's events and nothing else. */
  exercise?: string;
}

/** A subscription as the API shows it: never a secret. */
export interface SubscriptionView {
  id: string;
  name: string;
  channel: DeliveryChannel;
  target: string;
  events: RoutableEventType[];
  filter: SubscriptionFilter;
  owner: SubscriptionOwner;
  clearance: Tlp;
  /** Until when the previous signing secret still signs (after a rotation). */
  previousSecretExpiresAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  exercise?: string;
}

export function subscriptionView(record: SubscriptionRecord): SubscriptionView {
  return {
    id: record.id,
    name: record.name,
    channel: record.channel,
    target: record.target,
    events: record.events,
    filter: record.filter,
    owner: record.owner,
    clearance: record.clearance,
    previousSecretExpiresAt: record.previousSecretExpiresAt?.toISOString() ?? null,
    version: record.version,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
    ...(record.exercise === undefined ? {} : { exercise: record.exercise }),
  };
}

const defined = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

/** Maps a `subscription` row. */
export function toSubscriptionRecord(row: Record<string, unknown>): SubscriptionRecord {
  const jurisdictions = row['jurisdictions'] as string[];
  const categories = row['categories'] as IncidentCategory[];
  const minPriority = defined(row['min_priority'] as PriorityLevel | null);
  return {
    id: row['id'] as string,
    name: row['name'] as string,
    channel: row['channel'] as DeliveryChannel,
    target: row['target'] as string,
    events: row['events'] as RoutableEventType[],
    filter: {
      ...(minPriority ? { minPriority } : {}),
      ...(jurisdictions.length ? { jurisdictions } : {}),
      ...(categories.length ? { categories } : {}),
    },
    owner: { sub: row['owner_sub'] as string, ...(row['owner_org'] ? { org: row['owner_org'] as string } : {}) },
    clearance: row['clearance'] as Tlp,
    sealedSecret: defined(row['secret'] as string | null),
    sealedPreviousSecret: defined(row['previous_secret'] as string | null),
    previousSecretExpiresAt: defined(row['previous_secret_expires_at'] as Date | null),
    version: row['version'] as number,
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    ...(row['exercise'] ? { exercise: row['exercise'] as string } : {}),
  };
}
