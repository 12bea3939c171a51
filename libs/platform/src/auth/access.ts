import { ocdContains, type Role, type Tlp, tlpAllows } from '@watchfloor/contracts';
import type { Caller } from './caller';

/** True when the caller holds any of `roles`; `admin` holds every role (DOMAIN.md: "everything"). */
export function hasAnyRole(caller: Caller, roles: readonly Role[]): boolean {
  return caller.roles.includes('admin') || roles.some((role) => caller.roles.includes(role));
}

/**
 * True when the caller may act for `ocdId`: it is the caller's jurisdiction or inside it.
 * A caller without a jurisdiction acts for none (roles like triage are checked by role instead).
 */
export function canActFor(caller: Caller, ocdId: string): boolean {
  return caller.jurisdiction !== undefined && ocdContains(caller.jurisdiction, ocdId);
}

/** True when the caller's clearance allows reading data labelled `tlp`. */
export function canSee(caller: Caller, tlp: Tlp): boolean {
  return tlpAllows(caller.clearance, tlp);
}
