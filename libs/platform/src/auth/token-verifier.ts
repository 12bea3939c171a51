import {
  type CryptoKey,
  createRemoteJWKSet,
  errors,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import type { BaseEnv } from '../config/base-env';
import { DomainError, UnauthenticatedError } from '../errors/domain-error';
import type { AuthResult } from '../http/request-context';
import type { Caller } from './caller';
import { callerFromClaims } from './claims';
import { devTokenOptions } from './dev-token';
import { VerifiedTokenCache } from './verified-token-cache';

/** The configuration the verifier reads. */
export type AuthConfig = Pick<
  BaseEnv,
  'AUTH_MODE' | 'AUTH_DEV_SECRET' | 'AUTH_JWKS_URL' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_ALGORITHMS'
> &
  Partial<Pick<BaseEnv, 'AUTH_JWKS_CACHE_MAX_AGE_MS' | 'AUTH_JWKS_COOLDOWN_MS'>>;

// Seconds of clock difference with the identity provider tolerated on `exp` and `nbf`.
const CLOCK_TOLERANCE_SECONDS = 5;

// Three base64url segments; anything else is refused before any crypto runs.
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer +(\S+)$/i;

/**
 * Verifies bearer JWTs: HS256 with the development secret in `dev` mode; the identity
 * provider's JWKS with pinned algorithms, issuer and audience in `jwks` mode. `exp` is required.
 */
export class TokenVerifier {
  private readonly cache = new VerifiedTokenCache();

  private constructor(
    private readonly key: { secret: Promise<CryptoKey> } | { remote: JWTVerifyGetKey },
    private readonly options: JWTVerifyOptions,
  ) {}

  /** A verifier for the configured mode. */
  static fromConfig(config: AuthConfig): TokenVerifier {
    const common: JWTVerifyOptions = { requiredClaims: ['exp', 'sub'], clockTolerance: CLOCK_TOLERANCE_SECONDS };
    if (config.AUTH_MODE === 'jwks') {
      if (!config.AUTH_JWKS_URL) throw new Error('AUTH_JWKS_URL is required with AUTH_MODE=jwks');
      // jose caches the key set, fetches it again when a token names a `kid` it lacks (after the
      // cooldown) and when the cache is older than its max age.
      const remote = createRemoteJWKSet(new URL(config.AUTH_JWKS_URL), {
        ...(config.AUTH_JWKS_CACHE_MAX_AGE_MS !== undefined ? { cacheMaxAge: config.AUTH_JWKS_CACHE_MAX_AGE_MS } : {}),
        ...(config.AUTH_JWKS_COOLDOWN_MS !== undefined ? { cooldownDuration: config.AUTH_JWKS_COOLDOWN_MS } : {}),
      });
      // Only the pinned asymmetric algorithms: an HS256 token (signed with the public key as
      // its secret, or with the dev secret) or an `alg: none` one is refused before any key is looked up.
      return new TokenVerifier({ remote }, {
        ...common,
        algorithms: [...config.AUTH_ALGORITHMS],
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
      });
    }
    return new TokenVerifier({ secret: importHmacKey(config.AUTH_DEV_SECRET) }, {
      ...common,
      algorithms: ['HS256'],
      ...devTokenOptions(config),
    });
  }

  /** Verifies a compact JWT; throws {@link UnauthenticatedError}, or `AUTH.UNAVAILABLE` (503) when the JWKS cannot be fetched. */
  async verify(token: string): Promise<Caller> {
    const known = this.cache.get(token);
    if (known) return known;
    if (!JWT_SHAPE.test(token)) throw new UnauthenticatedError('The bearer token is malformed.');
    let payload: JWTPayload;
    try {
      payload = await this.verifyPayload(token);
    } catch (error) {
      throw toAuthError(error, 'remote' in this.key);
    }
    const caller = callerFromClaims(payload);
    // `exp` is a required claim, so jose has checked that it is there.
    this.cache.set(token, caller, payload.exp ?? 0);
    return caller;
  }

  /** Checks an `Authorization` header value; rejects only on a bug (not for a bad token). */
  async authenticate(authorization: string | undefined): Promise<AuthResult> {
    if (authorization === undefined || authorization.length === 0) {
      return { error: new UnauthenticatedError('A bearer token is required.') };
    }
    const match = BEARER.exec(authorization);
    if (!match) {
      return { error: new UnauthenticatedError('The Authorization header must be "Bearer <token>".') };
    }
    try {
      return { caller: await this.verify(match[1]) };
    } catch (error) {
      if (error instanceof DomainError) return { error };
      throw error;
    }
  }

  private async verifyPayload(token: string): Promise<JWTPayload> {
    // jose has one overload per key kind; the branch keeps both typed.
    const key = this.key;
    const result =
      'secret' in key ? await jwtVerify(token, await key.secret, this.options) : await jwtVerify(token, key.remote, this.options);
    return result.payload;
  }
}

// Imported once: given raw bytes, jose would import a WebCrypto key on every verification
// (a third of the cost of a request, measured).
function importHmacKey(secret: string): Promise<CryptoKey> {
  // The global WebCrypto, the one jose checks keys against (not node:crypto's, another realm under Jest).
  const key = globalThis.crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  return key as Promise<CryptoKey>;
}

function toAuthError(error: unknown, remoteKeys: boolean): unknown {
  if (error instanceof errors.JWTExpired) {
    return new UnauthenticatedError('The bearer token has expired.');
  }
  if (remoteKeys && (isJwksUnreachable(error) || !(error instanceof errors.JOSEError))) {
    // The identity provider could not be asked: not the caller's fault, so not a 401.
    return new DomainError('AUTH.UNAVAILABLE', 'unavailable', 'Tokens cannot be verified right now.', { cause: error });
  }
  // Anything else but jose's verdicts is a bug of ours: let it surface as a 500.
  return error instanceof errors.JOSEError ? new UnauthenticatedError('The bearer token is not valid.', { cause: error }) : error;
}

// The identity provider's JWKS endpoint timed out, answered other than 200, or sent no key set:
// jose says so with these (a bare JOSEError is only its "Expected 200 OK" and "Failed to parse").
function isJwksUnreachable(error: unknown): boolean {
  return error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid || (error instanceof errors.JOSEError && error.code === 'ERR_JOSE_GENERIC');
}
