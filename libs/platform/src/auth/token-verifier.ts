import { createRemoteJWKSet, errors, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions, jwtVerify } from 'jose';
import type { BaseEnv } from '../config/base-env';
import { DomainError, UnauthenticatedError } from '../errors/domain-error';
import type { AuthResult } from '../http/request-context';
import type { Caller } from './caller';
import { callerFromClaims } from './claims';
import { devTokenOptions } from './dev-token';

/** The configuration the verifier reads. */
export type AuthConfig = Pick<
  BaseEnv,
  'AUTH_MODE' | 'AUTH_DEV_SECRET' | 'AUTH_JWKS_URL' | 'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_ALGORITHMS'
>;

// Three base64url segments; anything else is refused before any crypto runs.
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const BEARER = /^Bearer +(\S+)$/i;

/**
 * Verifies bearer JWTs: HS256 with the development secret in `dev` mode; the identity
 * provider's JWKS with pinned algorithms, issuer and audience in `jwks` mode. `exp` is required.
 */
export class TokenVerifier {
  private constructor(
    private readonly key: Uint8Array | JWTVerifyGetKey,
    private readonly options: JWTVerifyOptions,
  ) {}

  /** A verifier for the configured mode. */
  static fromConfig(config: AuthConfig): TokenVerifier {
    const common: JWTVerifyOptions = { requiredClaims: ['exp', 'sub'], clockTolerance: 5 };
    if (config.AUTH_MODE === 'jwks') {
      if (!config.AUTH_JWKS_URL) throw new Error('AUTH_JWKS_URL is required with AUTH_MODE=jwks');
      return new TokenVerifier(createRemoteJWKSet(new URL(config.AUTH_JWKS_URL)), {
        ...common,
        algorithms: [...config.AUTH_ALGORITHMS],
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
      });
    }
    return new TokenVerifier(new TextEncoder().encode(config.AUTH_DEV_SECRET), {
      ...common,
      algorithms: ['HS256'],
      ...devTokenOptions(config),
    });
  }

  /** Verifies a compact JWT; throws {@link UnauthenticatedError} (or 503 when the JWKS is unreachable). */
  async verify(token: string): Promise<Caller> {
    if (!JWT_SHAPE.test(token)) throw new UnauthenticatedError('The bearer token is malformed.');
    let payload: JWTPayload;
    try {
      payload = await this.verifyPayload(token);
    } catch (error) {
      throw toAuthError(error);
    }
    return callerFromClaims(payload);
  }

  /** Checks an `Authorization` header value; never rejects. */
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
      return { error: error instanceof DomainError ? error : toAuthError(error) };
    }
  }

  private async verifyPayload(token: string): Promise<JWTPayload> {
    // jose has one overload per key kind; the branch keeps both typed.
    const key = this.key;
    const result = key instanceof Uint8Array ? await jwtVerify(token, key, this.options) : await jwtVerify(token, key, this.options);
    return result.payload;
  }
}

function toAuthError(error: unknown): DomainError {
  if (error instanceof errors.JWTExpired) {
    return new UnauthenticatedError('The bearer token has expired.');
  }
  if (error instanceof errors.JWKSTimeout || !(error instanceof errors.JOSEError)) {
    // The identity provider could not be asked: not the caller's fault, so not a 401.
    return new DomainError('AUTH.UNAVAILABLE', 'unavailable', 'Tokens cannot be verified right now.', { cause: error });
  }
  return new UnauthenticatedError('The bearer token is not valid.', { cause: error });
}
