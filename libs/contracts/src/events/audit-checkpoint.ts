import { IsInt, IsString, Matches, MaxLength, Min } from 'class-validator';
import { IsTimestamp, Optional } from '../validation/rules';

/** SHA-256 in lower-case hex. */
export const SHA256_HEX_PATTERN = /^[0-9a-f]{64}$/;
/** An Ed25519 signature (64 bytes) in base64 or base64url, padded or not. */
export const ED25519_SIGNATURE_PATTERN = /^[A-Za-z0-9+/_-]{86}(?:==)?$/;

/** The bytes an audit checkpoint's Ed25519 signature covers: UTF-8 of `<sequence>.<hash>`. */
export function auditCheckpointMessage(sequence: number, hash: string): Buffer {
  return Buffer.from(`${sequence}.${hash}`, 'utf8');
}

/** `watchfloor.audit.checkpoint.v1`: a signed head of the audit hash chain. */
export class AuditCheckpointV1 {
  /** Sequence number of the last entry covered. */
  @IsInt()
  @Min(1)
  sequence: number;

  /** Chain hash of that entry. */
  @Matches(SHA256_HEX_PATTERN)
  hash: string;

  @IsTimestamp()
  at: string;

  /** Ed25519 over {@link auditCheckpointMessage}. */
  @Matches(ED25519_SIGNATURE_PATTERN)
  signature: string;

  /** Identifies the public key, for key rotation. */
  @Optional()
  @IsString()
  @MaxLength(128)
  keyId?: string;
}
