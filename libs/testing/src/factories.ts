import type { IncidentSubmission, Role, Tlp } from '@watchfloor/contracts';
import { randomBytes } from 'node:crypto';

/** Deep-partial overrides for a factory. */
export type Overrides<T> = { [K in keyof T]?: T[K] extends Array<infer U> ? U[] : T[K] extends object ? Overrides<T[K]> : T[K] };

/** Georgia, the state the default test submission comes from. */
export const GEORGIA = 'ocd-division/country:us/state:ga';
/** Fulton County, Georgia. */
export const FULTON = `${GEORGIA}/county:fulton`;

/**
 * A valid submission (a phishing e-mail impersonating the Secretary of State, reported by a
 * Fulton County clerk); `overrides` replace fields, nested objects merge.
 */
export function aSubmission(overrides: Overrides<IncidentSubmission> = {}): IncidentSubmission {
  const base: IncidentSubmission = {
    title: 'Phishing e-mail impersonating the Secretary of State',
    description: 'Poll workers received an e-mail asking them to re-enter their credentials on a look-alike portal.',
    category: 'phishing',
    jurisdiction: FULTON,
    detectedAt: new Date(Date.now() - 60_000).toISOString(),
    affectedAssets: ['email_office_it', 'e_pollbook'],
    impacts: { functionalImpact: 'no_impact_to_services', informationImpact: 'suspected_not_identified', recoverability: 'regular', attackVector: 'email_phishing' },
    observables: [
      { type: 'domain', value: 'sos-georgia-verify.com' },
      { type: 'email', value: 'Elections@SOS-Georgia-Verify.com' },
    ],
    tlp: 'amber',
    reporter: { name: 'Dana Clerk', email: 'dana.clerk@fultoncountyga.gov', phone: '+1 404 555 0100', organization: 'Fulton County Elections', title: 'County Clerk' },
  };
  return merge(base, overrides);
}

/** A unique source reference, so resubmission tests do not collide. */
export function aSourceReference(system = 'soar-test'): { system: string; reference: string } {
  return { system, reference: `case-${randomBytes(6).toString('hex')}` };
}

/** Claims for a development token; `sign` them with platform's `signDevToken`. */
export function aCaller(overrides: { role?: Role; roles?: Role[]; sub?: string; jurisdiction?: string; clearance?: Tlp; org?: string; name?: string } = {}) {
  const roles = overrides.roles ?? [overrides.role ?? 'official'];
  return {
    sub: overrides.sub ?? `user-${randomBytes(4).toString('hex')}`,
    name: overrides.name ?? 'Test Caller',
    roles,
    jurisdiction: overrides.jurisdiction ?? GEORGIA,
    clearance: overrides.clearance ?? 'amber',
    org: overrides.org ?? 'test-org',
  };
}

function merge<T>(base: T, overrides: Overrides<T>): T {
  const result: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides as Record<string, unknown>)) {
    const current = result[key];
    result[key] =
      value !== null && typeof value === 'object' && !Array.isArray(value) && current !== null && typeof current === 'object' && !Array.isArray(current)
        ? merge(current, value as Overrides<typeof current>)
        : value;
  }
  return result as T;
}
