import { BaseEnv, EnvBool, EnvInt } from '@watchfloor/platform';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MinLength, Min, registerDecorator } from 'class-validator';

/**
 * Key that encrypts signing secrets at rest when none is configured. Public on purpose (like
 * the development auth secret): refused when `NODE_ENV=production`.
 */
export const DEV_SECRET_KEY = 'd2F0Y2hmbG9vci1kZXYta2V5LW5vdC1mb3ItcHJvZCE=';

function NotDevKeyInProduction(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'notDevKeyInProduction',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a key of your own when NODE_ENV=production (the development default is public)' },
      validator: {
        validate: (value: unknown, args) => (args?.object as NotificationEnv | undefined)?.NODE_ENV !== 'production' || value !== DEV_SECRET_KEY,
      },
    });
  };
}

function IsBase64Key(bytes: number): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isBase64Key',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `must be ${bytes} random bytes in base64 (e.g. \`openssl rand -base64 ${bytes}\`)` },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === bytes,
      },
    });
  };
}

/** Notification's environment: the common variables plus delivery policy, SSRF policy and SMTP. */
export class NotificationEnv extends BaseEnv {
  override PORT = 3003;

  /** AES-256-GCM key (32 bytes, base64) that encrypts webhook signing secrets at rest. */
  @IsBase64Key(32) @NotDevKeyInProduction()
  NOTIFICATION_SECRET_KEY = DEV_SECRET_KEY;

  /**
   * The key `NOTIFICATION_SECRET_KEY` replaced, during a rotation: secrets it sealed still
   * open, and are re-sealed under the current key in the background at start-up.
   */
  @IsOptional() @IsBase64Key(32)
  NOTIFICATION_SECRET_KEY_PREVIOUS?: string;

  /** Allow `http://` webhook targets (tests, local stack); production sends over https only. */
  @EnvBool() @IsBoolean()
  NOTIFICATION_ALLOW_HTTP = false;

  /** Allow targets on loopback addresses (local stack, tests). */
  @EnvBool() @IsBoolean()
  NOTIFICATION_ALLOW_LOOPBACK = false;

  /** Allow targets on private, link-local and unique-local addresses (an on-premise SOAR). Metadata addresses stay refused. */
  @EnvBool() @IsBoolean()
  NOTIFICATION_ALLOW_PRIVATE = false;

  /** Longest one webhook attempt may take, connection included. */
  @EnvInt() @IsInt() @Min(100) @Max(120_000)
  NOTIFICATION_WEBHOOK_TIMEOUT_MS = 10_000;

  /** Attempts of one delivery before it is dead (the retry budget). */
  @EnvInt() @IsInt() @Min(1) @Max(50)
  NOTIFICATION_MAX_ATTEMPTS = 12;

  /** Delay before the first retry; each further one doubles, with jitter. */
  @EnvInt() @IsInt() @Min(1) @Max(3_600_000)
  NOTIFICATION_RETRY_BASE_MS = 5_000;

  /** Longest delay between two attempts (also caps a receiver's `Retry-After`). */
  @EnvInt() @IsInt() @Min(1) @Max(86_400_000)
  NOTIFICATION_RETRY_MAX_MS = 3_600_000;

  /** How long a rotated-out signing secret keeps signing (both signatures are sent). */
  @EnvInt() @IsInt() @Min(0) @Max(30 * 86_400)
  NOTIFICATION_SECRET_GRACE_SECONDS = 86_400;

  /** Consecutive failures of one target that open its circuit. */
  @EnvInt() @IsInt() @Min(1) @Max(1000)
  NOTIFICATION_BREAKER_THRESHOLD = 5;

  /** How long an open circuit refuses attempts before one probe is let through. */
  @EnvInt() @IsInt() @Min(10) @Max(3_600_000)
  NOTIFICATION_BREAKER_COOLDOWN_MS = 30_000;

  /** Attempts in flight at once in this replica. */
  @EnvInt() @IsInt() @Min(1) @Max(1000)
  NOTIFICATION_SEND_CONCURRENCY = 64;

  /** Attempts in flight at once to one target, so a slow endpoint cannot take every slot. */
  @EnvInt() @IsInt() @Min(1) @Max(1000)
  NOTIFICATION_TARGET_CONCURRENCY = 16;

  /** How often the sender looks for due deliveries when nothing woke it. */
  @EnvInt() @IsInt() @Min(10) @Max(60_000)
  NOTIFICATION_POLL_MS = 500;

  /** SMTP server for e-mail subscriptions (`smtp://`, `smtps://`, credentials in the URL if any). */
  @IsString() @Matches(/^smtps?:\/\/.+/, { message: 'NOTIFICATION_SMTP_URL must be an smtp:// or smtps:// URL' })
  NOTIFICATION_SMTP_URL = 'smtp://127.0.0.1:25';

  /** Sender of notification e-mail. */
  @IsString() @MinLength(3)
  NOTIFICATION_MAIL_FROM = 'Watchfloor <notifications@watchfloor.invalid>';

  /** Postgres connections. */
  @EnvInt() @IsInt() @Min(2) @Max(200)
  NOTIFICATION_DB_POOL_SIZE = 12;
}
