// Escalation benchmark: how fast triage escalates a backlog of missed acknowledgement
// deadlines, and how late each escalation reaches the stream, with 1 or 2 triage processes.
//   SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register tools/bench/escalation-bench.ts [--incidents 2000] [--replicas 1] [--poll-ms 1000]
import 'reflect-metadata';
import { createServiceDataSource } from '@watchfloor/persistence';
import { createTestDatabase, expectEventually, spawnService, useNats, type ChildService } from '@watchfloor/testing';
import { seedIncident } from '../../apps/triage/test/escalation-fixtures';
import { machineInfo } from './machine';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  const incidents = option('incidents', 2000);
  const replicas = option('replicas', 1);
  const pollMs = option('poll-ms', 1000);
  const db = await createTestDatabase('wf_bench');
  const nats = await useNats();
  const children: ChildService[] = [];
  try {
    const env = {
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      NATS_NAMESPACE: nats.namespace,
      LOG_LEVEL: 'warn',
      TRIAGE_ESCALATION_POLL_MS: String(pollMs),
      TRIAGE_ESCALATION_MAX_LEVEL: '1',
    };
    for (let i = 0; i < replicas; i++) children.push(await spawnService('triage', env));
    const dataSource = await createServiceDataSource({ url: db.url, schema: 'triage', runMigrations: false, poolSize: 8 });
    const parked = new Date(Date.now() + 3600_000);
    for (let i = 0; i < incidents; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, incidents - i) }, () => seedIncident(dataSource, { priority: 'emergency', ackDeadline: parked })));
    }
    // Every deadline falls due at the same instant: the worst case, a backlog at once.
    const deadline = new Date(Date.now() + 2000);
    await dataSource.query(`UPDATE incident SET ack_deadline = $1`, [deadline]);
    await expectEventually(
      async () => {
        const rows: Array<{ n: string }> = await dataSource.query(
          `SELECT count(*) AS n FROM outbox WHERE type = 'watchfloor.incident.escalated.v1' AND published_at IS NOT NULL`,
        );
        if (Number(rows[0]?.n) < incidents) throw new Error(`${rows[0]?.n} of ${incidents} escalated`);
      },
      { timeoutMs: 600_000, intervalMs: 100 },
    );
    const lateness: Array<{ committed: number; published: number }> = await dataSource.query(
      `SELECT EXTRACT(EPOCH FROM (created_at - $1::timestamptz)) * 1000 AS committed,
              EXTRACT(EPOCH FROM (published_at - $1::timestamptz)) * 1000 AS published
         FROM outbox WHERE type = 'watchfloor.incident.escalated.v1'`,
      [deadline],
    );
    const committed = lateness.map((row) => Number(row.committed)).sort((a, b) => a - b);
    const published = lateness.map((row) => Number(row.published)).sort((a, b) => a - b);
    // From the moment they all fell due until the last one was on the stream.
    const drainMs = published.at(-1) ?? 0;
    const duplicates: Array<{ n: string }> = await dataSource.query(
      `SELECT count(*) AS n FROM (SELECT payload->'data'->>'incidentId' FROM outbox WHERE type = 'watchfloor.incident.escalated.v1' GROUP BY 1 HAVING count(*) > 1) d`,
    );
    await dataSource.destroy();
    const machine = machineInfo();
    console.log(JSON.stringify({
      date: new Date().toISOString(),
      machine: `${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB, ${machine.node}, load ${machine.loadAverage.map((l) => l.toFixed(2)).join('/')}`,
      incidents,
      replicas,
      pollMs,
      escalationsPerSecond: Math.round(incidents / (Math.max(drainMs, 1) / 1000)),
      lateAfterDeadlineMs: {
        committed: { p50: Math.round(percentile(committed, 50)), p99: Math.round(percentile(committed, 99)), max: Math.round(committed.at(-1) ?? NaN) },
        published: { p50: Math.round(percentile(published, 50)), p99: Math.round(percentile(published, 99)), max: Math.round(published.at(-1) ?? NaN) },
      },
      incidentsEscalatedTwice: Number(duplicates[0]?.n),
    }, null, 2));
  } finally {
    for (const child of children) await child.stop();
    await nats.cleanup();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
