import { generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { keyIdOf, parsePrivateKey, rawPublicKey } from '../chain/checkpoint-signature';
import type { AuditEnv } from '../config';

/** The checkpoint signing key and what is published about it. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  /** The public key as PEM (SPKI). */
  publicKeyPem: string;
  /** The public key's 32 raw bytes, base64. */
  publicKeyBase64: string;
  /** Where it came from: `config`, `file` or `generated` (development). */
  origin: 'config' | 'file' | 'generated' | 'development-file';
}

function describe(privateKey: KeyObject, origin: SigningKey['origin']): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return {
    privateKey,
    publicKey,
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    publicKeyBase64: rawPublicKey(publicKey).toString('base64'),
    origin,
  };
}

/**
 * The key from `AUDIT_SIGNING_KEY` or `AUDIT_SIGNING_KEY_FILE`. Outside production, when
 * neither is set, a key is generated once and kept in `AUDIT_DEV_KEY_FILE` (mode 0600), so
 * checkpoints stay verifiable across restarts of a development stack. Never derived from
 * anything guessable; production refuses to start without a key (config validation).
 */
export function loadSigningKey(config: AuditEnv): SigningKey {
  if (config.AUDIT_SIGNING_KEY !== undefined) return describe(parsePrivateKey(config.AUDIT_SIGNING_KEY), 'config');
  if (config.AUDIT_SIGNING_KEY_FILE !== undefined) return describe(parsePrivateKey(readFileSync(config.AUDIT_SIGNING_KEY_FILE, 'utf8')), 'file');
  if (config.NODE_ENV === 'production') throw new Error('AUDIT_SIGNING_KEY or AUDIT_SIGNING_KEY_FILE is required when NODE_ENV=production');
  const file = config.AUDIT_DEV_KEY_FILE;
  if (existsSync(file)) return describe(parsePrivateKey(readFileSync(file, 'utf8')), 'development-file');
  const { privateKey } = generateKeyPairSync('ed25519');
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another replica of the development stack wrote it first: use that one.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return describe(parsePrivateKey(readFileSync(file, 'utf8')), 'development-file');
    throw error;
  }
  chmodSync(file, 0o600);
  return describe(privateKey, 'generated');
}
