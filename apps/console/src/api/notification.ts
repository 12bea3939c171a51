import type { DeliveryChannel, DeliveryStatus, EventType, IncidentCategory, PriorityLevel, Tlp } from '@watchfloor/contracts';
import { callApi, queryString } from './http';
import type { Page } from './intake';

/** A subscription's filter: every criterion given must match (docs/notification.md). */
export interface SubscriptionFilter {
  minPriority?: PriorityLevel;
  jurisdictions?: string[];
  categories?: IncidentCategory[];
}

/** notification's view of a subscription: never its secret. */
export interface Subscription {
  id: string;
  name: string;
  channel: DeliveryChannel;
  target: string;
  events: EventType[];
  filter: SubscriptionFilter;
  owner: { sub: string; org?: string };
  clearance: Tlp;
  previousSecretExpiresAt: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  exercise?: string;
}

/** The body of `POST /v1/subscriptions` (and, without `channel`, of `PATCH`). */
export interface SubscriptionBody {
  name: string;
  channel: DeliveryChannel;
  target: string;
  events: EventType[];
  filter: SubscriptionFilter;
}

/** Create and rotate-secret answer with the signing secret, this once (null for e-mail). */
export type SubscriptionWithSecret = Subscription & { secret: string | null };

/** One row of the delivery ledger. */
export interface Delivery {
  /** Also the `webhook-id` header, stable across retries. */
  id: string;
  eventId: string;
  eventType: EventType;
  incidentId: string | null;
  subscriptionId: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastHttpStatus: number | null;
  lastAttemptAt: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  latencyMs: number | null;
  createdAt: string;
  exercise?: string;
}

const subscriptionPath = (id: string) => `/v1/subscriptions/${encodeURIComponent(id)}`;

export const listSubscriptions = (token: string) =>
  callApi<Page<Subscription>>('notification', `/v1/subscriptions${queryString({ limit: 100 })}`, token).then((r) => r.body);

export const createSubscription = (token: string, body: SubscriptionBody) =>
  callApi<SubscriptionWithSecret>('notification', '/v1/subscriptions', token, { method: 'POST', body }).then((r) => r.body);

export const updateSubscription = (token: string, id: string, body: Omit<SubscriptionBody, 'channel'>) =>
  callApi<Subscription>('notification', subscriptionPath(id), token, { method: 'PATCH', body }).then((r) => r.body);

export const deleteSubscription = (token: string, id: string) => callApi<void>('notification', subscriptionPath(id), token, { method: 'DELETE' }).then(() => undefined);

export const rotateSecret = (token: string, id: string) =>
  callApi<SubscriptionWithSecret>('notification', `${subscriptionPath(id)}/rotate-secret`, token, { method: 'POST' }).then((r) => r.body);

export const listDeliveries = (token: string, filters: { status?: DeliveryStatus; subscriptionId?: string }) =>
  callApi<Page<Delivery>>('notification', `/v1/deliveries${queryString({ limit: 100, ...filters })}`, token).then((r) => r.body);

export const retryDelivery = (token: string, id: string) =>
  callApi<Delivery>('notification', `/v1/deliveries/${encodeURIComponent(id)}/retry`, token, { method: 'POST' }).then((r) => r.body);
