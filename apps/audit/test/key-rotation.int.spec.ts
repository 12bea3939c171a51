import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyIdOf, rawPublicKey } from '../src/chain/checkpoint-signature';
import type { ChainReport } from '../src/chain/chain-verifier';
import { verifyExport } from '../src/chain/export-verifier';
import { json, startAudit, type AuditUnderTest } from './harness';
import { anIncidentFlow } from './incident-flow';

const ROOT = join(__dirname, '..', '..', '..');

interface Key {
  privateKeyPem: string;
  publicKey: KeyObject;
  keyId: string;
  /** The 32 raw bytes, base64: what GET /v1/audit/public-key gives. */
  raw: string;
  /** SPKI DER, base64: what `openssl pkey -pubout -outform DER | base64 -w0` gives. */
  spki: string;
}

function aKey(): Key {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKey,
    keyId: keyIdOf(publicKey),
    raw: rawPublicKey(publicKey).toString('base64'),
    spki: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

async function* linesOf(text: string): AsyncGenerator<string> {
  yield* text.split('\n');
}

interface PublishedKey {
  keyId: string;
  base64: string;
  retired: Array<{ keyId: string; base64: string; pem: string }>;
}

describe('rotating the checkpoint signing key', () => {
  const keyA = aKey();
  const keyB = aKey();
  let audit: AuditUnderTest;
  let token: string;
  let dir: string;
  /** Sequences of the checkpoints key A signed before the rotation. */
  let signedByA: number[];

  const checkpointRows = async () =>
    (await audit.sql.query<{ sequence: string; key_id: string }>('SELECT sequence, key_id FROM audit.checkpoint ORDER BY sequence')).rows.map((row) => ({
      sequence: Number(row.sequence),
      keyId: row.key_id,
    }));
  const verify = () => json<ChainReport>(audit.request('GET', '/v1/audit/verify', { token }));

  beforeAll(async () => {
    audit = await startAudit({ AUDIT_SIGNING_KEY: keyA.privateKeyPem, AUDIT_CHECKPOINT_EVERY: '5' });
    token = await audit.token();
    await audit.publish(anIncidentFlow());
    await audit.waitForEntries(13);
    await audit.checkpointNow();
    signedByA = (await checkpointRows()).map((row) => row.sequence);
    dir = mkdtempSync(join(tmpdir(), 'wf-audit-rotation-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await audit.close();
  });

  it('before the rotation every checkpoint names key A', async () => {
    expect(signedByA.length).toBeGreaterThanOrEqual(1);
    expect((await checkpointRows()).map((row) => row.keyId)).toEqual(signedByA.map(() => keyA.keyId));
  });

  it('after a restart with key B and A retired, old checkpoints verify and new ones carry B\'s key id', async () => {
    // A retired in the form openssl gives, B's own key in PEM with escaped line breaks (as in an env file).
    await audit.restart({ AUDIT_SIGNING_KEY: keyB.privateKeyPem.replace(/\n/g, '\\n'), AUDIT_RETIRED_PUBLIC_KEYS: keyA.spki });
    await audit.publish(anIncidentFlow());
    await audit.waitForEntries(26);
    await audit.checkpointNow();

    const rows = await checkpointRows();
    const after = rows.filter((row) => !signedByA.includes(row.sequence));
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every((row) => row.keyId === keyB.keyId)).toBe(true);

    const report = await verify();
    expect(report).toMatchObject({ valid: true, entries: 26, checkpointsVerified: rows.length, entriesAfterLastCheckpoint: 0 });
    expect(report).not.toHaveProperty('unknownKeys');

    const published = await json<PublishedKey>(audit.request('GET', '/v1/audit/public-key', { token }));
    expect(published).toMatchObject({ keyId: keyB.keyId, base64: keyB.raw, retired: [{ keyId: keyA.keyId, base64: keyA.raw, pem: expect.stringContaining('BEGIN PUBLIC KEY') }] });
    const listed = await json<{ publicKey: PublishedKey; items: Array<{ sequence: number; keyId: string }> }>(audit.request('GET', '/v1/audit/checkpoints', { token }));
    expect(listed.publicKey.retired.map((key) => key.keyId)).toEqual([keyA.keyId]);
    expect(listed.items[0]?.keyId).toBe(keyB.keyId);
    expect(listed.items.filter((item) => item.keyId === keyA.keyId).map((item) => item.sequence).sort((x, y) => x - y)).toEqual(signedByA);
  });

  it('the export names both keys, and the offline verifier accepts it given both', async () => {
    const exported = await (await audit.request('GET', '/v1/audit/export', { token })).text();
    const header = JSON.parse(exported.split('\n')[0] ?? '{}') as Record<string, unknown>;
    expect(header).toMatchObject({ publicKey: { keyId: keyB.keyId, base64: keyB.raw }, retiredPublicKeys: [{ algorithm: 'Ed25519', keyId: keyA.keyId, base64: keyA.raw }] });
    const rows = await checkpointRows();
    expect(await verifyExport(linesOf(exported), { publicKeys: [keyB.publicKey, keyA.publicKey] })).toMatchObject({ valid: true, checkpointsVerified: rows.length, warnings: [] });

    const file = join(dir, 'after-rotation.jsonl');
    writeFileSync(file, exported);
    const run = (...keys: string[]) =>
      spawnSync(process.execPath, ['-r', '@swc-node/register', join('tools', 'audit', 'verify.ts'), file, ...keys.flatMap((key) => ['--public-key', key])], {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
        encoding: 'utf8',
      });
    const both = run(keyB.raw, keyA.spki);
    expect({ status: both.status, stdout: both.stdout }).toMatchObject({ status: 0, stdout: expect.stringContaining('VALID: 26 entries') });
    // The form of AUDIT_RETIRED_PUBLIC_KEYS works too: one option, keys separated by commas.
    expect(run(`${keyB.raw},${keyA.raw}`).status).toBe(0);
    const onlyB = run(keyB.raw);
    expect({ status: onlyB.status, stdout: onlyB.stdout }).toMatchObject({ status: 1, stdout: expect.stringContaining(`INVALID at sequence ${signedByA[0]}: checkpoint ${signedByA[0]} is signed by key ${keyA.keyId}`) });
    // It says where the missing key may be found, without trusting it.
    expect(onlyB.stdout).toContain(`the export names it as a retired key (${keyA.raw})`);
  });

  it('after a restart with key B only, verify names the checkpoints signed by the unknown key', async () => {
    await audit.restart({ AUDIT_SIGNING_KEY: keyB.privateKeyPem });
    const report = await verify();
    expect(report).toMatchObject({
      valid: false,
      firstInvalidSequence: signedByA[0],
      reason: expect.stringContaining(`checkpoint ${signedByA[0]} is signed by key ${keyA.keyId}, which is not among the known keys (${keyB.keyId})`),
      unknownKeys: [{ keyId: keyA.keyId, checkpoints: signedByA.length, firstSequence: signedByA[0], lastSequence: signedByA[signedByA.length - 1] }],
    });
    expect((await json<PublishedKey>(audit.request('GET', '/v1/audit/public-key', { token }))).retired).toEqual([]);
  });
});
