import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePublicKey } from '../src/chain/checkpoint-signature';
import { verifyExport } from '../src/chain/export-verifier';
import { json, startAudit, type AuditUnderTest } from './harness';
import { anIncidentFlow } from './incident-flow';

const ROOT = join(__dirname, '..', '..', '..');

async function* linesOf(text: string): AsyncGenerator<string> {
  yield* text.split('\n');
}

type Line = Record<string, unknown> & { record: string; sequence?: number };

function edit(text: string, change: (lines: Line[]) => Line[]): string {
  const lines = text.trim().split('\n').map((line) => JSON.parse(line) as Line);
  return `${change(lines).map((line) => JSON.stringify(line)).join('\n')}\n`;
}

describe('export and the offline verifier', () => {
  let audit: AuditUnderTest;
  let token: string;
  let exported: string;
  let publicKey: string;
  let dir: string;

  beforeAll(async () => {
    audit = await startAudit({ AUDIT_CHECKPOINT_EVERY: '10' });
    token = await audit.token();
    await audit.publish([...anIncidentFlow(), ...anIncidentFlow({ tlp: 'red' })]);
    await audit.waitForEntries(26);
    await audit.checkpointNow();
    const response = await audit.request('GET', '/v1/audit/export?format=jsonl', { token });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    exported = await response.text();
    publicKey = (await json<{ base64: string }>(audit.request('GET', '/v1/audit/public-key', { token }))).base64;
    dir = mkdtempSync(join(tmpdir(), 'wf-audit-export-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await audit.close();
  });

  const verify = (text: string) => verifyExport(linesOf(text), { publicKey: parsePublicKey(publicKey) });

  it('streams a header, every entry with its hashes and each checkpoint after the entry it signs', () => {
    const lines = exported.trim().split('\n').map((line) => JSON.parse(line) as Line);
    expect(lines[0]).toMatchObject({ record: 'header', format: 'watchfloor-audit-export/1', head: { sequence: 26 } });
    const entries = lines.filter((line) => line.record === 'entry');
    expect(entries.map((entry) => entry.sequence)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(entries[0]).toMatchObject({ prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/), withheld: false, event: { type: 'watchfloor.incident.reported.v1' } });
    const checkpoints = lines.filter((line) => line.record === 'checkpoint');
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    for (const checkpoint of checkpoints) {
      const before = lines[lines.indexOf(checkpoint) - 1];
      expect(before).toMatchObject({ record: 'entry', sequence: checkpoint.sequence, hash: checkpoint['hash'] });
    }
  });

  it('the offline verifier accepts the clean export', async () => {
    expect(await verify(exported)).toMatchObject({ valid: true, entries: 26, head: { sequence: 26 }, entriesAfterLastCheckpoint: 0, warnings: [] });
  });

  it('rejects an export whose event was edited, at that entry', async () => {
    const tampered = edit(exported, (lines) =>
      lines.map((line) => (line.sequence === 8 && line.record === 'entry' ? { ...line, event: { ...(line['event'] as object), subject: 'someone-else' } } : line)),
    );
    expect(await verify(tampered)).toMatchObject({ valid: false, firstInvalidSequence: 8 });
  });

  it('rejects an export with an entry left out, and one whose hashes were all recomputed', async () => {
    const withoutEntry = edit(exported, (lines) => lines.filter((line) => !(line.record === 'entry' && line.sequence === 12)));
    expect(await verify(withoutEntry)).toMatchObject({ valid: false, firstInvalidSequence: 12, reason: 'entry 12 is missing' });
    const forgedCheckpoint = edit(exported, (lines) => lines.map((line) => (line.record === 'checkpoint' ? { ...line, hash: 'f'.repeat(64) } : line)));
    expect(await verify(forgedCheckpoint)).toMatchObject({ valid: false, reason: expect.stringContaining('does not verify with the public key') });
  });

  it('withholds events above the caller\'s clearance, and the chain still verifies through their digests', async () => {
    const amber = await audit.token({ roles: ['auditor'], clearance: 'amber' });
    const text = await (await audit.request('GET', '/v1/audit/export', { token: amber })).text();
    const entries = text.trim().split('\n').map((line) => JSON.parse(line) as Line).filter((line) => line.record === 'entry');
    const withheld = entries.filter((entry) => entry['withheld'] === true);
    // The red incident's events (but its TLP:CLEAR subscription change) and the amber+strict note of the amber one.
    expect(withheld.length).toBe(13);
    expect(withheld.every((entry) => entry['event'] === null)).toBe(true);
    expect(text).not.toContain('Called the clerk.');
    expect(await verify(text)).toMatchObject({ valid: true, eventsWithheld: 13 });
  });

  it('npm run audit:verify exits 0 on the clean export and 1 on a tampered one', () => {
    const clean = join(dir, 'clean.jsonl');
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(clean, exported);
    writeFileSync(tampered, exported.replace('"actor":"official-7"', '"actor":"official-8"'));
    const held = join(dir, 'held-checkpoints.jsonl');
    // Checkpoints kept elsewhere, as audit.checkpoint.v1 CloudEvents: here the export's own.
    const checkpoints = exported.split('\n').filter((line) => line.includes('"record":"checkpoint"'));
    writeFileSync(held, checkpoints.map((line) => JSON.stringify({ type: 'watchfloor.audit.checkpoint.v1', data: JSON.parse(line) as unknown })).join('\n'));
    const run = (file: string, ...extra: string[]) =>
      spawnSync(process.execPath, ['-r', '@swc-node/register', join('tools', 'audit', 'verify.ts'), file, '--public-key', publicKey, ...extra], {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
        encoding: 'utf8',
      });
    const ok = run(clean, '--checkpoints', held);
    expect({ status: ok.status, stdout: ok.stdout }).toMatchObject({ status: 0, stdout: expect.stringContaining('VALID: 26 entries') });
    expect(ok.stdout).toContain(`checkpoints verified: ${checkpoints.length * 2}`);
    const bad = run(tampered);
    expect({ status: bad.status, stdout: bad.stdout }).toMatchObject({ status: 1, stdout: expect.stringContaining('INVALID at sequence 1') });
    expect(run(clean).status).toBe(0);
    expect(run(clean, '--public-key').status).toBe(2);
  });

  it('exports CSV, one quoted row per entry with its hash', async () => {
    const response = await audit.request('GET', '/v1/audit/export?format=csv', { token });
    expect(response.headers.get('content-type')).toContain('text/csv');
    const rows = (await response.text()).trim().split('\r\n');
    expect(rows[0]).toBe('sequence,event_id,type,subject,incident_ids,actor,tlp,occurred_at,recorded_at,event_hash,prev_hash,hash,event');
    expect(rows).toHaveLength(27);
    expect(rows[1]).toMatch(/^1,[0-9a-f-]{36},watchfloor\.incident\.reported\.v1,incident\.reported\.ga,.*,"\{""correlationid"":/);
  });

  it('refuses an unknown format, naming the field', async () => {
    const response = await audit.request('GET', '/v1/audit/export?format=xml', { token });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ errors: [{ field: 'format' }] });
  });
});
