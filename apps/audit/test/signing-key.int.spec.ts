import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@watchfloor/platform';
import { keyIdOf } from '../src/chain/checkpoint-signature';
import { loadSigningKey } from '../src/checkpoints/signing-key';
import { AuditEnv } from '../src/config';

describe('the checkpoint signing key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'wf-audit-key-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is generated once in development, kept private, and reused after a restart', () => {
    const file = join(dir, 'nested', 'audit-signing-key.pem');
    const config = loadConfig(AuditEnv, { NODE_ENV: 'development', AUDIT_DEV_KEY_FILE: file });
    const first = loadSigningKey(config);
    expect(first.origin).toBe('generated');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const again = loadSigningKey(config);
    expect(again).toMatchObject({ origin: 'development-file', keyId: first.keyId });
  });

  it('comes from AUDIT_SIGNING_KEY as PEM with escaped line breaks or as base64 DER', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const der = privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    const fromPem = loadSigningKey(loadConfig(AuditEnv, { AUDIT_SIGNING_KEY: pem.replace(/\n/g, '\\n') }));
    const fromDer = loadSigningKey(loadConfig(AuditEnv, { AUDIT_SIGNING_KEY: der }));
    expect(fromPem.keyId).toBe(fromDer.keyId);
    expect(fromPem.origin).toBe('config');
  });

  it('keeps retired public keys apart from the current one, and refuses a list with a bad key, saying which', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const retired = generateKeyPairSync('ed25519').publicKey;
    const current = createPublicKey(privateKey);
    const spki = (key: KeyObject) => key.export({ format: 'der', type: 'spki' }).toString('base64');
    const key = loadSigningKey(loadConfig(AuditEnv, { AUDIT_SIGNING_KEY: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'), AUDIT_RETIRED_PUBLIC_KEYS: `${spki(retired)}, ${spki(current)}` }));
    // The current key listed as retired as well is simply the current key.
    expect(key.retired.map((r) => r.keyId)).toEqual([keyIdOf(retired)]);
    expect(() => loadConfig(AuditEnv, { AUDIT_RETIRED_PUBLIC_KEYS: `${spki(retired)},not-a-key` })).toThrow(/AUDIT_RETIRED_PUBLIC_KEYS: .*key 2 of 2/);
  });

  it('is required in production: the service refuses to start without one', () => {
    expect(() => loadConfig(AuditEnv, { NODE_ENV: 'production', AUTH_DEV_SECRET: 'x'.repeat(40) })).toThrow(/AUDIT_SIGNING_KEY/);
  });
});
