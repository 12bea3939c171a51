import { SignJWT } from 'jose';
import type { WatchfloorClaims } from './caller';

/** Issuer of development tokens unless `AUTH_ISSUER` says otherwise. */
export const DEV_TOKEN_ISSUER = 'urn:watchfloor:dev';
/** Audience of development tokens unless `AUTH_AUDIENCE` says otherwise. */
export const DEV_TOKEN_AUDIENCE = 'watchfloor';

/** Claims of a development token: the subject plus Watchfloor's claims. */
export interface DevTokenClaims extends WatchfloorClaims {
  sub: string;
}

/** Issuer and audience a development token is minted with (and checked against). */
export interface DevTokenOptions {
  issuer?: string;
  audience?: string;
}

/**
 * Signs an HS256 token that `AUTH_MODE=dev` services accept. `ttl` is a jose time span
 * (`'8h'`, `'15m'`) or seconds; a negative number yields an already expired token (tests).
 */
export async function signDevToken(
  claims: DevTokenClaims,
  secret: string,
  ttl: string | number = '8h',
  options: DevTokenOptions = {},
): Promise<string> {
  const { sub, ...custom } = claims;
  const now = Math.floor(Date.now() / 1000);
  const expiresAt = typeof ttl === 'number' ? now + ttl : ttl;
  return new SignJWT({ ...custom })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(sub)
    .setIssuer(options.issuer ?? DEV_TOKEN_ISSUER)
    .setAudience(options.audience ?? DEV_TOKEN_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));
}

/**
 * Issuer and audience of development tokens for a config: `AUTH_ISSUER`/`AUTH_AUDIENCE` when
 * set, else the dev defaults. The verifier and the token tool both use it, so they agree.
 */
export function devTokenOptions(config: { AUTH_ISSUER?: string; AUTH_AUDIENCE?: string }): Required<DevTokenOptions> {
  return { issuer: config.AUTH_ISSUER ?? DEV_TOKEN_ISSUER, audience: config.AUTH_AUDIENCE ?? DEV_TOKEN_AUDIENCE };
}
