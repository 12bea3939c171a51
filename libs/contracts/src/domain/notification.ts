/** Channels a subscription delivers over. */
export const DELIVERY_CHANNELS = ['webhook', 'email'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];

/** States of one delivery in the delivery log. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What happened to a subscription (`subscription.changed.v1`). */
export const SUBSCRIPTION_ACTIONS = ['created', 'updated', 'deleted'] as const;
export type SubscriptionAction = (typeof SUBSCRIPTION_ACTIONS)[number];

