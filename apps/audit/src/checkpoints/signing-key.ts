import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { keyIdOf, parsePrivateKey, parsePublicKeyList, rawPublicKey } from '../chain/checkpoint-signature';
import type { AuditEnv } from '../config';

/** A public key that checks checkpoints, and how it is published. */
export interface PublishedKey {
  publicKey: KeyObject;
  keyId: string;
  /** The public key as PEM (SPKI). */
  publicKeyPem: string;
  /** The public key's 32 raw bytes, base64. */
  publicKeyBase64: string;
}

/** The checkpoint signing key and what is published about it. */
export interface SigningKey extends PublishedKey {
  privateKey: KeyObject;
  /** Where it came from: `config`, `file` or `generated` (development). */
  origin: 'config' | 'file' | 'generated' | 'development-file';
  /**
   * Public keys of earlier signing keys (`AUDIT_RETIRED_PUBLIC_KEYS`): they sign nothing
   * new, but the checkpoints they signed still verify after a rotation.
   */
  retired: readonly PublishedKey[];
}

function published(publicKey: KeyObject): PublishedKey {
  return {
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyBase64: rawPublicKey(publicKey).toString('base64'),
  };
}

function describe(privateKey: KeyObject, origin: SigningKey['origin'], config: AuditEnv): SigningKey {
  const current = published(createPublicKey(privateKey));
  const retired = new Map<string, PublishedKey>();
  for (const key of parsePublicKeyList(config.AUDIT_RETIRED_PUBLIC_KEYS ?? '').map(published)) {
    // The current key listed as retired too (a step of the rotation done early) changes nothing.
    if (key.keyId !== current.keyId) retired.set(key.keyId, key);
  }
  return { ...current, privateKey, origin, retired: [...retired.values()] };
}

/** Every key that checks checkpoints: the current one first, then the retired ones. */
export function verificationKeys(key: SigningKey): KeyObject[] {
  return [key.publicKey, ...key.retired.map((retired) => retired.publicKey)];
}

/**
 * The key from `AUDIT_SIGNING_KEY` or `AUDIT_SIGNING_KEY_FILE`. Outside production, when
 * neither is set, a key is generated once and kept in `AUDIT_DEV_KEY_FILE` (mode 0600), so
 * checkpoints stay verifiable across restarts of a development stack. Never derived from
 * anything guessable; production refuses to start without a key (config validation).
 */
export function loadSigningKey(config: AuditEnv): SigningKey {
  if (config.AUDIT_SIGNING_KEY !== undefined) return describe(parsePrivateKey(config.AUDIT_SIGNING_KEY), 'config', config);
  if (config.AUDIT_SIGNING_KEY_FILE !== undefined) return describe(parsePrivateKey(readFileSync(config.AUDIT_SIGNING_KEY_FILE, 'utf8')), 'file', config);
  if (config.NODE_ENV === 'production') throw new Error('AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE is required when NODE_ENV=production');
  const file = config.AUDIT_DEV_KEY_FILE;
  if (existsSync(file)) return describe(parsePrivateKey(readFileSync(file, 'utf8')), 'development-file', config);
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another replica of the development stack wrote it first: use that one.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return describe(parsePrivateKey(readFileSync(file, 'utf8')), 'development-file', config);
    throw error;
  }
  chmodSync(file, 0o600);
  return describe(privateKey, 'generated', config);
}
