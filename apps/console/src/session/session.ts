import type { Role, Tlp } from '@watchfloor/contracts';

/** What the console reads from the caller's token (DOMAIN.md, claims); the services verify it. */
export interface Claims {
  sub: string;
  name: string;
  roles: Role[];
  jurisdiction: string;
  clearance: Tlp;
  org?: string;
  /** Seconds since the epoch. */
  exp?: number;
}

export interface Session {
  /** The access token sent to the services as `Authorization: Bearer`. */
  token: string;
  claims: Claims;
  /** OpenID Connect: the ID token, kept for signing out at the identity provider. */
  idToken?: string;
  /** OpenID Connect: when the token response said the access token expires (ms). */
  expiresAt?: number;
}

/** A role `npm start` minted a token for, as the dev server's `/dev/personas` lists it. */
export interface Persona {
  role: Role;
  token: string;
}

const STORAGE_KEY = 'watchfloor.session';

/** The claims of a JWT, read without verifying it (the services do that); undefined when it is not one. */
export function readClaims(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as Partial<Claims>;
    if (typeof claims.sub !== 'string' || !Array.isArray(claims.roles) || typeof claims.jurisdiction !== 'string') return undefined;
    return { name: claims.sub, clearance: 'clear', ...claims } as Claims;
  } catch {
    return undefined;
  }
}

/** When the session ends (ms): the token's `exp` or the token response's expiry, whichever is first. */
export function sessionEnd(session: Session): number | undefined {
  const ends = [session.claims.exp === undefined ? undefined : session.claims.exp * 1000, session.expiresAt].filter((end): end is number => end !== undefined);
  return ends.length > 0 ? Math.min(...ends) : undefined;
}

/** Whether the token has expired at `now` (ms). */
export function isExpired(claims: Claims, now: number): boolean {
  return claims.exp !== undefined && claims.exp * 1000 <= now;
}

/** The session kept for this tab (sessionStorage: gone when the tab closes), unless expired. */
export function loadSession(storage: Storage, now: number): Session | undefined {
  const token = storage.getItem(STORAGE_KEY);
  const claims = token ? readClaims(token) : undefined;
  if (!token || !claims || isExpired(claims, now)) return undefined;
  return { token, claims };
}

export function saveSession(storage: Storage, token: string): Session | undefined {
  const claims = readClaims(token);
  if (!claims) return undefined;
  storage.setItem(STORAGE_KEY, token);
  return { token, claims };
}

export function clearSession(storage: Storage): void {
  storage.removeItem(STORAGE_KEY);
}

/** Where a role starts: triage (and admin) at the queue, officials at the report form, partners at their subscriptions, auditors at the record. */
export function homeOf(claims: Claims): string {
  if (claims.roles.includes('triage') || claims.roles.includes('admin')) return '/queue';
  if (claims.roles.includes('official') || claims.roles.includes('automation')) return '/report';
  if (claims.roles.includes('partner')) return '/subscriptions';
  if (claims.roles.includes('auditor')) return '/audit';
  return '/not-yet';
}
