import { isOcdId, ROLES, type Role, TLP_LEVELS, type Tlp } from '@watchfloor/contracts';
import type { JWTPayload } from 'jose';
import { UnauthenticatedError } from '../errors/domain-error';
import type { Caller } from './caller';

const KNOWN_ROLES: ReadonlySet<string> = new Set(ROLES);
const KNOWN_TLP: ReadonlySet<string> = new Set(TLP_LEVELS);

function invalid(claim: string): UnauthenticatedError {
  return new UnauthenticatedError(`The token's "${claim}" claim is invalid.`);
}

function optionalString(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw invalid(claim);
  return value;
}

/**
 * Turns verified JWT claims into a {@link Caller}. A token with a malformed claim is refused
 * (401) rather than half-trusted; role names this deployment does not know are ignored, so an
 * identity provider may carry roles of other applications.
 */
export function callerFromClaims(payload: JWTPayload): Caller {
  const sub = payload.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw invalid('sub');

  const rawRoles = payload['roles'] ?? [];
  if (!Array.isArray(rawRoles) || !rawRoles.every((role): role is string => typeof role === 'string')) {
    throw invalid('roles');
  }
  const roles = rawRoles.filter((role): role is Role => KNOWN_ROLES.has(role));

  const jurisdiction = optionalString(payload, 'jurisdiction');
  if (jurisdiction !== undefined && !isOcdId(jurisdiction)) throw invalid('jurisdiction');

  const clearance = optionalString(payload, 'clearance') ?? 'clear';
  if (!KNOWN_TLP.has(clearance)) throw invalid('clearance');

  return {
    sub,
    name: optionalString(payload, 'name') ?? sub,
    roles,
    jurisdiction,
    clearance: clearance as Tlp,
    org: optionalString(payload, 'org'),
  };
}
