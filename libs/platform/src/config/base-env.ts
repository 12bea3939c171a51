import {
  ArrayNotEmpty,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  registerDecorator,
} from 'class-validator';
import { EnvBool, EnvInt, EnvList, EnvNumber } from './env-transforms';
import { IsUrlWithProtocol } from './url-validator';

/**
 * The HS256 secret used when `AUTH_MODE=dev` and `AUTH_DEV_SECRET` is not set. Public on
 * purpose (tokens minted with it are worthless); refused when `NODE_ENV=production`.
 */
export const DEV_AUTH_SECRET = 'watchfloor-development-secret-not-for-production';

/** Node environments. */
export const NODE_ENVS = ['development', 'test', 'production'] as const;
/** pino log levels accepted in `LOG_LEVEL`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** Token verification modes. */
export const AUTH_MODES = ['dev', 'jwks'] as const;
/** Asymmetric JWS algorithms allowed in `AUTH_ALGORITHMS` (never `none` or HMAC for JWKS). */
export const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;

/** A pino level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

// The development secret is only acceptable outside production.
function NotDevSecretInProduction(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'notDevSecretInProduction',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be set to a secret of your own when NODE_ENV=production (the development default is public)' },
      validator: {
        validate: (value: unknown, args) =>
          (args?.object as BaseEnv | undefined)?.NODE_ENV !== 'production' || value !== DEV_AUTH_SECRET,
      },
    });
  };
}

const jwksMode = (env: BaseEnv): boolean => env.AUTH_MODE === 'jwks';

/**
 * Environment variables every HTTP service reads. Services extend it with their own and may
 * override defaults (e.g. `override PORT = 3001`). Load it with `loadConfig(ServiceEnv)`.
 */
export class BaseEnv {
  @IsIn(NODE_ENVS)
  NODE_ENV: (typeof NODE_ENVS)[number] = 'development';

  /** 0 picks a free port (tests). */
  @EnvInt() @IsInt() @Min(0) @Max(65535)
  PORT = 3000;

  @IsString() @MinLength(1)
  HOST = '127.0.0.1';

  /** Trust `X-Forwarded-For` from a proxy in front (ingress), so rate limits key on the client. */
  @EnvBool() @IsBoolean()
  TRUST_PROXY = false;

  @IsUrlWithProtocol(['postgres', 'postgresql'])
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/watchfloor';

  /** One URL, or a comma-separated list for a cluster. */
  @EnvList() @ArrayNotEmpty() @IsUrlWithProtocol(['nats', 'tls', 'ws', 'wss'], { each: true })
  NATS_URL: string[] = ['nats://127.0.0.1:4222'];

  @IsOptional() @IsString()
  NATS_USER?: string;

  @IsOptional() @IsString()
  NATS_PASS?: string;

  @IsOptional() @IsString()
  NATS_TOKEN?: string;

  /**
   * Prefix for stream names and subjects, so several deployments (or test suites) can share
   * one NATS server. Empty in production: subjects are then exactly those of EVENTS.md.
   */
  @IsOptional() @Matches(/^[A-Za-z0-9_-]+$/, { message: 'NATS_NAMESPACE may hold only letters, digits, _ and -' })
  NATS_NAMESPACE?: string;

  /**
   * Copies of each stream the services create: 1 on a single nats-server, 3 on a JetStream
   * cluster (a stream then survives the loss of one server). Existing streams are updated to it.
   */
  @EnvInt() @IsInt() @Min(1) @Max(5)
  NATS_STREAM_REPLICAS = 1;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: LogLevel = 'info';

  @IsIn(AUTH_MODES)
  AUTH_MODE: (typeof AUTH_MODES)[number] = 'dev';

  /** HS256 secret for `AUTH_MODE=dev`; at least 32 characters. */
  @ValidateIf((env: BaseEnv) => env.AUTH_MODE === 'dev')
  @IsString() @MinLength(32) @NotDevSecretInProduction()
  AUTH_DEV_SECRET: string = DEV_AUTH_SECRET;

  @ValidateIf(jwksMode) @IsUrlWithProtocol(['https', 'http'])
  AUTH_JWKS_URL?: string;

  /** Required with `AUTH_MODE=jwks`; in dev mode it overrides the dev issuer. */
  @ValidateIf((env: BaseEnv) => jwksMode(env) || env.AUTH_ISSUER !== undefined) @IsString() @MinLength(1)
  AUTH_ISSUER?: string;

  /** Required with `AUTH_MODE=jwks`; in dev mode it overrides the dev audience. */
  @ValidateIf((env: BaseEnv) => jwksMode(env) || env.AUTH_AUDIENCE !== undefined) @IsString() @MinLength(1)
  AUTH_AUDIENCE?: string;

  /** Algorithms accepted from the JWKS, pinned (never taken from the token). */
  @EnvList() @ArrayNotEmpty() @IsIn(JWKS_ALGORITHMS, { each: true })
  AUTH_ALGORITHMS: string[] = ['RS256', 'ES256'];

  /**
   * How long the JWKS is used before it is fetched again; a key the identity provider removed
   * keeps verifying tokens at most this long (jose's `cacheMaxAge`).
   */
  @EnvInt() @IsInt() @Min(0)
  AUTH_JWKS_CACHE_MAX_AGE_MS = 600_000;

  /**
   * A token whose `kid` the cached JWKS lacks makes the JWKS be fetched again (a key the
   * identity provider just added), at most once per this period (jose's `cooldownDuration`),
   * so tokens with made-up `kid`s cannot make the services hammer the identity provider.
   */
  @EnvInt() @IsInt() @Min(0)
  AUTH_JWKS_COOLDOWN_MS = 30_000;

  /** Requests per caller (JWT `sub`, else client IP) per minute. */
  @EnvInt() @IsInt() @Min(1)
  RATE_LIMIT_PER_MINUTE = 600;

  /**
   * How often a replica adds the requests it counted to the replicas' shared counts (and
   * learns theirs). A caller may overshoot the limit by about what the other replicas admit
   * it in two of these periods (docs/security.md, Resource consumption).
   */
  @EnvInt() @IsInt() @Min(10) @Max(60_000)
  RATE_LIMIT_SYNC_MS = 1000;

  /**
   * `Strict-Transport-Security` max-age sent on every answer; 0 (default) sends none. The
   * services speak plain HTTP behind a TLS-terminating ingress: set it (e.g. 31536000) only
   * when every client reaches them over https, or let the ingress send it.
   */
  @EnvInt() @IsInt() @Min(0) @Max(63_072_000)
  HTTP_HSTS_MAX_AGE_SECONDS = 0;

  /** Largest accepted request body. */
  @EnvInt() @IsInt() @Min(1024)
  BODY_LIMIT_BYTES = 256 * 1024;

  /**
   * OTLP/HTTP collector (`http://otel-collector:4318`): spans go to `<it>/v1/traces`. Unset,
   * tracing is off: no spans, no trace context (see docs/operations.md, OpenTelemetry traces).
   */
  @IsOptional() @IsUrlWithProtocol(['http', 'https'])
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  /** Headers sent with each export, `name=value,name2=value2` (a vendor's API key, say). */
  @IsOptional() @Matches(/^[^=,\s]+=[^,]*(,[^=,\s]+=[^,]*)*$/, { message: 'OTEL_EXPORTER_OTLP_HEADERS must be name=value pairs separated by commas' })
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  /** Share of new traces recorded (0..1); a trace started upstream follows its caller's choice. */
  @EnvNumber() @IsNumber() @Min(0) @Max(1)
  OTEL_TRACES_SAMPLE_RATIO = 1;
}
