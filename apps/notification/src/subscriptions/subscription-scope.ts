import { type Caller, canActFor, hasAnyRole } from '@watchfloor/platform';
import type { SubscriptionRecord } from './subscription.record';
import { jurisdictionForbidden } from './subscription.errors';

/**
 * An automation is scoped to its jurisdiction (DOMAIN.md: "like an official"), as its NATS user
 * is to its state's subjects: a subscription it makes or changes covers only incidents within
 * its jurisdiction. Partners (nationwide, up to their clearance), triage and admins are not.
 */
export function boundToJurisdiction(caller: Caller): boolean {
  return caller.roles.includes('automation') && !hasAnyRole(caller, ['partner', 'triage']);
}

/**
 * The filter a caller may have: for an automation, its jurisdiction when it names none, and
 * 403 for any prefix outside it (or for any subscription, when its token names none).
 */
export function filterWithinScope(caller: Caller, filter: SubscriptionRecord['filter']): SubscriptionRecord['filter'] {
  if (!boundToJurisdiction(caller)) return filter;
  if (caller.jurisdiction === undefined) throw jurisdictionForbidden(undefined);
  const outside = (filter.jurisdictions ?? []).find((prefix) => !canActFor(caller, prefix));
  if (outside !== undefined) throw jurisdictionForbidden(outside);
  return filter.jurisdictions ? filter : { ...filter, jurisdictions: [caller.jurisdiction.toLowerCase()] };
}
