import { TLP_LEVELS, type PrincipalRef, type Tlp } from '@watchfloor/contracts';
import { type Caller, canSee, hasAnyRole } from '@watchfloor/platform';

/** Roles that may export STIX: staff and partners (`admin` passes every role check). */
export const EXPORT_ROLES = ['triage', 'partner'] as const;

/**
 * Whether the caller may take this incident out of Watchfloor as STIX (TLP is enforced where
 * data leaves, DOMAIN.md). Everyone, staff included, only up to their clearance: a bundle is
 * handed on, so the exporter's clearance is its ceiling. TLP:AMBER+STRICT, moreover, only to
 * the operations center (triage, admin) or to the reporting organisation, as notification
 * does for subscriptions.
 */
export function mayExport(caller: Caller, incident: { tlp: Tlp; submittedBy: PrincipalRef }): boolean {
  if (!canSee(caller, incident.tlp)) return false;
  if (incident.tlp !== 'amber+strict' || hasAnyRole(caller, ['triage'])) return true;
  return caller.org !== undefined && incident.submittedBy.org === caller.org;
}

/** The labels within the caller's clearance (a first filter in SQL; {@link mayExport} decides). */
export function labelsWithin(caller: Caller): Tlp[] {
  return TLP_LEVELS.filter((tlp) => canSee(caller, tlp));
}
