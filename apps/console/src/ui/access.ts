import type { Role } from '@watchfloor/contracts';

/**
 * Whether a caller with `roles` may use a page meant for `admitted` (docs/access.md): as on
 * the services, `admin` passes every role check.
 */
export function mayUse(roles: readonly Role[], admitted: readonly Role[]): boolean {
  return roles.includes('admin') || admitted.some((role) => roles.includes(role));
}

/** Who may use each group of pages: the roles the APIs behind them admit. */
export const PAGE_ROLES = {
  reports: ['official', 'automation'],
  triage: ['triage'],
  // notification's subscriptions and deliveries: partners, machine clients and triage.
  subscriptions: ['partner', 'automation', 'triage'],
  // audit's verify and export are for auditors; the timeline is also triage's.
  audit: ['auditor'],
  auditTimeline: ['auditor', 'triage'],
  // Editing the rotation and purging exercises: administrators only (admin passes by itself).
  admin: [],
} as const satisfies Record<string, readonly Role[]>;
