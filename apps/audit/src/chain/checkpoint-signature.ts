import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { auditCheckpointMessage } from '@watchfloor/contracts';

/** A signed head of the chain, as stored, served and exported. */
export interface SignedCheckpoint {
  sequence: number;
  hash: string;
  /** When it was signed. */
  at: string;
  /** Ed25519 over `<sequence>.<hash>`, base64. */
  signature: string;
  keyId: string;
}

/** Signs `<sequence>.<hash>` (the message of `audit.checkpoint.v1`); base64. */
export function signCheckpoint(privateKey: KeyObject, sequence: number, hash: string): string {
  return sign(null, auditCheckpointMessage(sequence, hash), privateKey).toString('base64');
}

/** True when `signature` is the key's Ed25519 signature of `<sequence>.<hash>`. */
export function checkpointSignatureValid(publicKey: KeyObject, checkpoint: Pick<SignedCheckpoint, 'sequence' | 'hash' | 'signature'>): boolean {
  try {
    return verify(null, auditCheckpointMessage(checkpoint.sequence, checkpoint.hash), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** The 32 raw bytes of an Ed25519 public key. */
export function rawPublicKey(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

/** A short, stable name for a public key: the first 16 hex digits of SHA-256 of its raw bytes. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublicKey(publicKey)).digest('hex').slice(0, 16);
}

/**
 * Reads an Ed25519 public key given as PEM (SPKI), as base64 of SPKI DER, or as base64 of
 * the 32 raw bytes: the forms an auditor may be handed.
 */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) {
    key = createPublicKey(trimmed);
  } else {
    const bytes = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
    key = bytes.length === 32 ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') }, format: 'jwk' }) : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}

/**
 * Reads a comma-separated list of Ed25519 public keys (each in a form {@link parsePublicKey}
 * reads; PEM has no commas, base64 neither): `AUDIT_RETIRED_PUBLIC_KEYS` and the offline
 * verifier's `--public-key`. Says which item is wrong.
 */
export function parsePublicKeyList(text: string): KeyObject[] {
  const items = text.split(',').map((item) => item.trim().replace(/\\n/g, '\n')).filter((item) => item !== '');
  return items.map((item, index) => {
    try {
      return parsePublicKey(item);
    } catch (error) {
      throw new TypeError(`key ${index + 1} of ${items.length}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
}

/** Reads an Ed25519 private key given as PEM (PKCS#8) or as base64 of PKCS#8 DER. */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim().replace(/\\n/g, '\n');
  const key = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') throw new TypeError(`expected an Ed25519 key, got ${key.asymmetricKeyType ?? 'unknown'}`);
  return key;
}
