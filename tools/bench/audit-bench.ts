// Audit throughput: events appended per second from a backlog, verify time per 100k
// entries, and the export streamed and checked offline. Fails (exit 1) when verify or the
// export's offline check does not account for every entry and checkpoint, or when the process
// runs out of heap: run it under the image's heap bound to show that verify and export of a
// large chain fit in it (docs/operations.md, "Memory"):
//   NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=192" npm run bench:audit -- --total 200000 --checkpoints 100000
//
//   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register tools/bench/audit-bench.ts [--backlog 20000] [--total 100000] [--batch 500] [--checkpoints n]
//
// Uses the local Postgres and NATS (DATABASE_URL / NATS_URL), a fresh database and NATS
// namespace, and runs audit in this process, as a replica would run.
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { connectJetStream, EventPublisher, provisionStreams, Topology, type TypedEvent } from '@watchfloor/messaging';
import { DEV_AUTH_SECRET, loadConfig, signDevToken } from '@watchfloor/platform';
import { aCaller, createTestDatabase, useNats } from '@watchfloor/testing';
import { Client } from 'pg';
import pino from 'pino';
import { createAuditApp } from '../../apps/audit/src/audit-app';
import { ChainAppender } from '../../apps/audit/src/chain/chain-appender';
import { keyIdOf, parsePublicKey, signCheckpoint } from '../../apps/audit/src/chain/checkpoint-signature';
import { verifyExport } from '../../apps/audit/src/chain/export-verifier';
import { Checkpointer } from '../../apps/audit/src/checkpoints/checkpointer';
import { AuditEnv } from '../../apps/audit/src/config';
import { entryOfEvent, type ReceivedEvent } from '../../apps/audit/src/recording/entry-of-event';
import { anIncidentFlow } from '../../apps/audit/test/incident-flow';
import { machineInfo } from './machine';

const { values } = parseArgs({
  options: { backlog: { type: 'string', default: '20000' }, total: { type: 'string', default: '100000' }, batch: { type: 'string', default: '500' }, checkpoints: { type: 'string', default: '0' } },
});
const BACKLOG = Number(values.backlog);
const TOTAL = Number(values.total);

const CHECKPOINTS = Number(values.checkpoints);

const say = (line: string) => process.stdout.write(`${line}\n`);
const MiB = (bytes: number) => `${(bytes / 1024 ** 2).toFixed(0)} MiB`;

/** Throws unless `actual` is `expected`: the bench's figures stand only for a complete walk. */
function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (actual !== expected) throw new Error(`${what}: ${String(actual)}, expected ${String(expected)}`);
}

/**
 * Signs checkpoints at evenly spread entries until the chain has `wanted`, as the checkpointer
 * would have over months (it signs up to one a minute when anything was appended: ~500k a
 * year), inserted straight into the table (the appender signs at most one per transaction).
 */
async function addCheckpoints(sql: Client, privateKey: KeyObject, publicKey: KeyObject, total: number, wanted: number): Promise<number> {
  const existing = new Set((await sql.query<{ sequence: string }>('SELECT sequence FROM audit.checkpoint')).rows.map((row) => Number(row.sequence)));
  const step = Math.max(1, Math.floor(total / wanted));
  const keyId = keyIdOf(publicKey);
  for (let from = 1; from <= total && existing.size < wanted; from += 5000 * step) {
    const { rows } = await sql.query<{ sequence: string; hash: string }>(
      'SELECT sequence, hash FROM audit.entry WHERE sequence >= $1 AND sequence < $2 AND sequence % $3 = 0 ORDER BY sequence',
      [from, from + 5000 * step, step],
    );
    const fresh = rows.filter((row) => !existing.has(Number(row.sequence))).slice(0, wanted - existing.size);
    for (const row of fresh) existing.add(Number(row.sequence));
    await sql.query(
      `INSERT INTO audit.checkpoint (sequence, hash, signed_at, signature, key_id, event_id)
       SELECT s, h, now(), sig, $5, e FROM unnest($1::bigint[], $2::text[], $3::text[], $4::uuid[]) AS t(s, h, sig, e)`,
      [fresh.map((row) => row.sequence), fresh.map((row) => row.hash), fresh.map((row) => signCheckpoint(privateKey, Number(row.sequence), row.hash)), fresh.map(() => randomUUID()), keyId],
    );
  }
  return existing.size;
}
const events = (count: number) => Array.from({ length: Math.ceil(count / 13) }, () => anIncidentFlow()).flat().slice(0, count);

async function main(): Promise<void> {
  const machine = machineInfo();
  say(`machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB, ${machine.osRelease}, node ${machine.node}, load ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`);
  say(`V8 heap bound ${MiB(getHeapStatistics().heap_size_limit)} (NODE_OPTIONS=${process.env['NODE_OPTIONS'] ?? ''}); service, client and file writer share it`);
  const keys = generateKeyPairSync('ed25519');
  const db = await createTestDatabase('wf_bench');
  const nats = await useNats();
  const connection = await connectJetStream({ servers: nats.url, name: 'audit-bench', logger: pino({ level: 'silent' }) });
  const topology = new Topology(nats.namespace);
  const sql = new Client({ connectionString: db.url });
  const dir = mkdtempSync(join(tmpdir(), 'wf-audit-bench-'));
  const app = await createAuditApp(
    loadConfig(AuditEnv, {
      DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, PORT: '0', LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '100000',
      AUDIT_SIGNING_KEY: keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), AUDIT_BATCH_SIZE: values.batch,
    }),
  );
  try {
    await provisionStreams(connection.jsm, topology);
    const publisher = new EventPublisher(connection.js, topology);
    const backlog = events(BACKLOG);
    for (let i = 0; i < backlog.length; i += 256) await Promise.all(backlog.slice(i, i + 256).map((event) => publisher.publish(event as TypedEvent)));
    say(`backlog: ${backlog.length} events on the streams (${(Buffer.byteLength(JSON.stringify(backlog)) / backlog.length).toFixed(0)} bytes each on average)`);

    await sql.connect();
    const started = performance.now();
    const url = await app.listen();
    for (;;) {
      const n = Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM audit.entry')).rows[0]?.n);
      if (n >= backlog.length) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const backlogSeconds = (performance.now() - started) / 1000;
    say(`from a backlog through NATS: ${backlog.length} entries in ${backlogSeconds.toFixed(2)} s = ${(backlog.length / backlogSeconds).toFixed(0)} entries/s (batch ${values.batch}, includes start-up)`);

    // Up to the total straight through the appender: the chain's own cost, without NATS.
    const appender = app.app.get(ChainAppender);
    const directStart = performance.now();
    let appended = backlog.length;
    while (appended < TOTAL) {
      const batch = events(Math.min(1000, TOTAL - appended)).map((event) => entryOfEvent(JSON.parse(JSON.stringify(event)) as ReceivedEvent, topology.baseSubject(topology.eventSubject(event))));
      appended += (await appender.append(batch)).appended;
    }
    const directSeconds = (performance.now() - directStart) / 1000;
    say(`appender alone: ${appended - backlog.length} entries in ${directSeconds.toFixed(2)} s = ${((appended - backlog.length) / directSeconds).toFixed(0)} entries/s (1000 per transaction, event building included)`);

    // The head signed now, so the periodic checkpoint finds nothing to add during the walks.
    await app.app.get(Checkpointer).checkpointNow();
    const checkpoints = CHECKPOINTS > 0 ? await addCheckpoints(sql, keys.privateKey, keys.publicKey, appended, CHECKPOINTS) : Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM audit.checkpoint')).rows[0]?.n);
    say(`chain: ${appended} entries, ${checkpoints} checkpoints`);

    const token = await signDevToken(aCaller({ roles: ['auditor'], clearance: 'red' }), DEV_AUTH_SECRET, '1h');
    const verifyStart = performance.now();
    const verdict = (await (await fetch(`${url}/v1/audit/verify`, { headers: { authorization: `Bearer ${token}` } })).json()) as { valid: boolean; entries: number; checkpointsVerified: number };
    const verifySeconds = (performance.now() - verifyStart) / 1000;
    expectEqual('verify: valid', verdict.valid, true);
    expectEqual('verify: entries', verdict.entries, appended);
    expectEqual('verify: checkpoints verified', verdict.checkpointsVerified, checkpoints);
    say(`GET /v1/audit/verify: valid=${verdict.valid}, ${verdict.entries} entries, ${verdict.checkpointsVerified} checkpoints in ${verifySeconds.toFixed(2)} s = ${((verifySeconds * 100_000) / verdict.entries).toFixed(2)} s per 100k entries`);

    const file = join(dir, 'export.jsonl');
    const exportStart = performance.now();
    const response = await fetch(`${url}/v1/audit/export?format=jsonl`, { headers: { authorization: `Bearer ${token}` } });
    if (!response.body) throw new Error('no export body');
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(file));
    const exportSeconds = (performance.now() - exportStart) / 1000;
    const bytes = statSync(file).size;
    say(`GET /v1/audit/export (JSONL): ${(bytes / 1024 ** 2).toFixed(1)} MiB in ${exportSeconds.toFixed(2)} s = ${(appended / exportSeconds).toFixed(0)} entries/s; process rss ${MiB(process.memoryUsage().rss)}, heap used ${MiB(getHeapStatistics().used_heap_size)}`);

    const key = (await (await fetch(`${url}/v1/audit/public-key`, { headers: { authorization: `Bearer ${token}` } })).json()) as { base64: string };
    const offlineStart = performance.now();
    const report = await verifyExport(createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity }), { publicKey: parsePublicKey(key.base64) });
    const offlineSeconds = (performance.now() - offlineStart) / 1000;
    expectEqual('offline: valid', report.valid, true);
    expectEqual('offline: entries', report.entries, appended);
    expectEqual('offline: checkpoints verified', report.checkpointsVerified, checkpoints);
    say(`offline verifier on the export: valid=${report.valid}, ${report.entries} entries, ${report.checkpointsVerified} checkpoints in ${offlineSeconds.toFixed(2)} s = ${((offlineSeconds * 100_000) / report.entries).toFixed(2)} s per 100k entries`);
    say(`peak rss of the process ${MiB(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await app.close();
    await sql.end().catch(() => undefined);
    await connection.close();
    await nats.cleanup();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`audit bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
