import type { Caller } from '@watchfloor/platform';
import type { SubscriptionRecord } from './subscription.record';

/** The owner and admins manage a subscription; to anyone else it does not exist (404). */
export function canManage(caller: Caller, subscription: SubscriptionRecord): boolean {
  return subscription.owner.sub === caller.sub || isAdmin(caller);
}

/** Admins see every subscription and delivery; others their own. */
export function isAdmin(caller: Caller): boolean {
  return caller.roles.includes('admin');
}
