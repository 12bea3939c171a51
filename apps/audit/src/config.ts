import { BaseEnv, EnvInt } from '@watchfloor/platform';
import { IsInt, IsOptional, IsString, Max, Min, MinLength, registerDecorator, ValidateIf } from 'class-validator';
import { parsePublicKeyList } from './chain/checkpoint-signature';

/** A comma-separated list of Ed25519 public keys that all parse; the message says which one does not. */
function IsPublicKeyList(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isPublicKeyList',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && publicKeyListProblem(value) === undefined,
        defaultMessage: (args) => `must be Ed25519 public keys separated by commas (base64 of the 32 raw bytes or of SPKI DER, or PEM): ${publicKeyListProblem(String(args?.value)) ?? 'not a string'}`,
      },
    });
  };
}

function publicKeyListProblem(value: string): string | undefined {
  try {
    parsePublicKeyList(value);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Audit's environment: the common variables plus the chain, checkpoint and key settings. */
export class AuditEnv extends BaseEnv {
  override PORT = 3004;

  /**
   * The Ed25519 key that signs checkpoints: PEM (PKCS#8, `\n` may be escaped) or base64 of
   * PKCS#8 DER. Required in production; in development a key is generated once into
   * `AUDIT_DEV_KEY_FILE`.
   */
  @ValidateIf((env: AuditEnv) => env.NODE_ENV === 'production' && env.AUDIT_SIGNING_KEY_FILE === undefined)
  @IsString({ message: 'AUDIT_SIGNING_KEY (or AUDIT_SIGNING_KEY_FILE) is required when NODE_ENV=production' })
  @MinLength(40)
  AUDIT_SIGNING_KEY?: string;

  /** A file holding the signing key (PEM or base64 DER), e.g. a mounted secret. */
  @IsOptional() @IsString() @MinLength(1)
  AUDIT_SIGNING_KEY_FILE?: string;

  /**
   * Public keys of earlier signing keys, comma-separated (base64 of the 32 raw bytes, as
   * `GET /v1/audit/public-key` gives them, or of SPKI DER, as `openssl pkey -pubout -outform
   * DER | base64 -w0` gives them). Checkpoints they signed keep verifying after a rotation.
   */
  @IsOptional() @IsPublicKeyList()
  AUDIT_RETIRED_PUBLIC_KEYS?: string;

  /** Where development keeps its generated key (never used when NODE_ENV=production). */
  @IsString() @MinLength(1)
  AUDIT_DEV_KEY_FILE = '.data/audit-signing-key.pem';

  /** A checkpoint is signed at the latest after this many new entries... */
  @EnvInt() @IsInt() @Min(1) @Max(1_000_000)
  AUDIT_CHECKPOINT_EVERY = 1000;

  /** ...or after this long, when there are new entries at all. */
  @EnvInt() @IsInt() @Min(100) @Max(86_400_000)
  AUDIT_CHECKPOINT_INTERVAL_MS = 60_000;

  /** Most events appended in one transaction. */
  @EnvInt() @IsInt() @Min(1) @Max(4000)
  AUDIT_BATCH_SIZE = 500;

  /** Wait before a batch that failed (database away) is tried again; doubles up to 30 s. */
  @EnvInt() @IsInt() @Min(10) @Max(60_000)
  AUDIT_RETRY_MS = 1000;

  /**
   * How long NATS waits for the ack of a message audit took before giving it to another
   * replica (or to this one after a restart). Longer than a batch ever takes.
   */
  @EnvInt() @IsInt() @Min(1000) @Max(600_000)
  AUDIT_ACK_WAIT_MS = 30_000;

  /** Postgres connections. */
  @EnvInt() @IsInt() @Min(2) @Max(200)
  AUDIT_DB_POOL_SIZE = 8;
}
