import { type Caller, canActFor, canSee, hasAnyRole } from '@watchfloor/platform';
import type { IncidentRecord } from './incident.record';

/** Staff who see every incident. */
export const STAFF_ROLES = ['triage', 'admin'] as const;
/** Roles that submit incidents and follow their jurisdiction's. */
export const SUBMITTER_ROLES = ['official', 'automation'] as const;

/** Whether the caller sees every incident (triage, admin). */
export function isStaff(caller: Caller): boolean {
  return hasAnyRole(caller, STAFF_ROLES);
}

/**
 * Officials and automations see what their jurisdiction submitted, up to their TLP
 * clearance; what they submitted themselves they always see.
 */
export function canRead(caller: Caller, incident: IncidentRecord): boolean {
  if (isStaff(caller)) return true;
  return canFollow(caller, incident);
}

/** Whether the caller may add information to the incident (its jurisdiction's submitters only). */
export function canUpdate(caller: Caller, incident: IncidentRecord): boolean {
  return hasAnyRole(caller, SUBMITTER_ROLES) && canFollow(caller, incident);
}

function canFollow(caller: Caller, incident: IncidentRecord): boolean {
  return canActFor(caller, incident.jurisdiction) && (canSee(caller, incident.tlp) || incident.submittedBy.sub === caller.sub);
}
