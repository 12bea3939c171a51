// Notification benchmark: deliveries per second to local webhook receivers, and the time
// from a triage event's publication to its webhook arriving (p50/p99).
//
//   npm run bench:notification -- [--subscriptions 4] [--burst 2000] [--rate 50] [--seconds 10]
//   (BENCH_CPU_PROF_DIR=<dir> writes a CPU profile of notification; NOTIFICATION_* variables pass through)
//
// It spawns notification (apps/notification/src/main.ts) on a fresh database and its own
// NATS namespace, starts one receiver (a plain Node HTTP server answering 200) per
// subscription, each on its own port (its own origin, as separate partners would be), and:
//  1. latency: publishes `incident.triaged` at --rate per second for --seconds (open loop),
//     each to every subscription, and records publication -> arrival of each webhook;
//  2. throughput: publishes --burst triaged events at once and measures deliveries per
//     second from the first publication to the last arrival.
// The incidents' `incident.reported` events are published (and routed) beforehand; the
// subscriptions ask only for `incident.triaged`, so reports create no deliveries. For the
// reports and for the burst it also reports notification's CPU and its Postgres backends'
// per event, and the statements notification sent per event (counted by a hook preloaded
// into it, tools/bench/statement-count-hook.ts).
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { build } from 'hdr-histogram-js';
import pino from 'pino';
import { createEvent, normalizeSubmission, type EventOf } from '@watchfloor/contracts';
import { connectJetStream, EventPublisher, Topology } from '@watchfloor/messaging';
import { DEV_AUTH_SECRET, signDevToken } from '@watchfloor/platform';
import { aSubmission, createTestDatabase, expectEventually, freePort, useNats } from '@watchfloor/testing';
import { Client } from 'pg';
import { uuidv7 } from 'uuidv7';
import { BackendCpu } from './system/backend-cpu';
import { DatabaseProbe } from './system/db-probe';
import { statementsAfter, statementsSoFar } from './statement-counts';

const ROOT = join(__dirname, '..', '..');
const log = (line: string) => process.stderr.write(`[notification-bench] ${line}\n`);

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

interface Receiver {
  url: string;
  server: Server;
}

/** A receiver that records when each event id arrived (once per receiver). */
async function startReceiver(arrivals: Map<string, number[]>): Promise<Receiver> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: string }).id;
      const list = arrivals.get(id) ?? [];
      list.push(at);
      arrivals.set(id, list);
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

/**
 * Notification's cost over a phase: its process CPU, its Postgres backends' CPU and the
 * statements it sent, each per event of the phase.
 */
class PhaseCost {
  private cpu = 0;
  private statements = { total: 0, counts: {} as Record<string, number> };
  private readonly backends: BackendCpu;

  constructor(private readonly pid: number | undefined, private readonly statementFile: string, probe: DatabaseProbe) {
    this.backends = new BackendCpu(probe);
  }

  async start(): Promise<void> {
    await this.backends.start();
    this.cpu = cpuSeconds(this.pid);
    this.statements = statementsSoFar(this.statementFile);
  }

  async stop(events: number): Promise<string> {
    const cpuMs = (cpuSeconds(this.pid) - this.cpu) * 1000;
    const postgresMs = [...(await this.backends.stop()).entries()].filter(([group]) => group.includes('notification')).reduce((sum, [, ms]) => sum + ms, 0);
    const end = await statementsAfter(this.statementFile, Date.now());
    const top = Object.entries(end.counts)
      .map(([sql, n]): [string, number] => [sql, (n - (this.statements.counts[sql] ?? 0)) / events])
      .filter(([, n]) => n >= 0.01)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12);
    return [
      `notification CPU ${(cpuMs / events).toFixed(3)} ms per event, its Postgres backends ${(postgresMs / events).toFixed(3)} ms; ${((end.total - this.statements.total) / events).toFixed(2)} statements per event`,
      ...top.map(([sql, n]) => `    ${n.toFixed(2)}  ${sql}`),
    ].join('\n');
  }
}

function reportedEvent(incidentId: string): EventOf<'watchfloor.incident.reported.v1'> {
  const submission = normalizeSubmission(aSubmission());
  return createEvent(
    'watchfloor.incident.reported.v1',
    { incidentId, version: 1, reference: 'WF-2026-000001', submission, submittedBy: { sub: 'bench', org: 'bench-org' }, receivedAt: new Date().toISOString() },
    { source: '/watchfloor/intake', subject: incidentId, tlp: 'amber', jurisdiction: submission.jurisdiction, correlationId: uuidv7() },
  );
}

function triagedEvent(incidentId: string, jurisdiction: string): EventOf<'watchfloor.incident.triaged.v1'> {
  return createEvent(
    'watchfloor.incident.triaged.v1',
    {
      incidentId, version: 1, priority: 'high', score: 62, model: 'nciss-notional-1',
      breakdown: [{ factor: 'functionalImpact', input: 'significant_critical', value: 70, weight: 6, contribution: 62 }],
      adjustments: [], phase: 'election_day', ackDeadline: new Date(Date.now() + 900_000).toISOString(),
    },
    { source: '/watchfloor/triage', subject: incidentId, tlp: 'amber', jurisdiction, correlationId: uuidv7() },
  );
}

async function main(): Promise<void> {
  const subscriptionCount = option('subscriptions', 4);
  const burst = option('burst', 2000);
  const rate = option('rate', 50);
  const seconds = option('seconds', 10);
  const db = await createTestDatabase('wf_bench');
  const nats = await useNats();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const arrivals = new Map<string, number[]>();
  const receivers = await Promise.all(Array.from({ length: subscriptionCount }, () => startReceiver(arrivals)));
  const connection = await connectJetStream({ servers: nats.url, name: 'notification-bench', logger: pino({ level: 'silent' }) });
  const publisher = new EventPublisher(connection.js, new Topology(nats.namespace));
  let child: ChildProcess | undefined;
  try {
    const profile = process.env['BENCH_CPU_PROF_DIR'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_CPU_PROF_DIR']] : [];
    // The statement counter is loaded after swc, which the second -r finds registered.
    const statementFile = join(tmpdir(), `notification-bench-statements-${process.pid}.json`);
    child = spawn(process.execPath, [...profile, '-r', '@swc-node/register', '-r', join(__dirname, 'statement-count-hook.ts'), join('apps', 'notification', 'src', 'main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'warn', PORT: String(port),
        DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, STATEMENT_COUNT_FILE: statementFile,
        NOTIFICATION_ALLOW_HTTP: 'true', NOTIFICATION_ALLOW_LOOPBACK: 'true', RATE_LIMIT_PER_MINUTE: '1000000', NOTIFICATION_POLL_MS: process.env['BENCH_POLL_MS'] ?? '500',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await expectEventually(async () => {
      if ((await fetch(`${url}/health/ready`)).status !== 200) throw new Error('not ready');
    }, { timeoutMs: 60_000, intervalMs: 200 });
    const token = await signDevToken({ sub: 'bench', name: 'bench', roles: ['automation'], jurisdiction: 'ocd-division/country:us', clearance: 'amber', org: 'bench-org' }, DEV_AUTH_SECRET, '2h');
    for (const receiver of receivers) {
      const response = await fetch(`${url}/v1/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench', channel: 'webhook', target: `${receiver.url}/hook`, events: ['watchfloor.incident.triaged.v1'] }),
      });
      if (response.status !== 201) throw new Error(`subscription refused: ${response.status} ${await response.text()}`);
    }

    // Incidents known to notification before their triage events.
    const latencyCount = Math.round(rate * seconds);
    const reports = Array.from({ length: latencyCount + burst }, () => reportedEvent(uuidv7()));
    log(`publishing ${reports.length} incident.reported events first`);
    const backendsProbe = await DatabaseProbe.connect(db.url);
    const reportsCost = new PhaseCost(child.pid, statementFile, backendsProbe);
    await reportsCost.start();
    const reportsStart = performance.now();
    for (let i = 0; i < reports.length; i += 500) await Promise.all(reports.slice(i, i + 500).map((e) => publisher.publish(e)));
    const sql = new Client({ connectionString: db.url });
    await sql.connect();
    await expectEventually(async () => {
      const { rows } = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM notification.incident WHERE reference IS NOT NULL`);
      if (Number(rows[0]?.n) < reports.length) throw new Error(`projected ${rows[0]?.n}`);
    }, { timeoutMs: 300_000, intervalMs: 200 });
    const reportsSeconds = (performance.now() - reportsStart) / 1000;
    await sql.end();
    const reportsLine = `reports (${reports.length} incident.reported, projected, no deliveries): ${reportsSeconds.toFixed(2)} s = ${Math.round(reports.length / reportsSeconds)} events/s; ${await reportsCost.stop(reports.length)}`;

    // 1. Latency, open loop.
    log(`latency: ${latencyCount} triaged events at ${rate}/s, ${subscriptionCount} subscriptions each`);
    const published = new Map<string, number>();
    const latencyEvents = reports.slice(0, latencyCount).map((r) => triagedEvent(r.data.incidentId, r.jurisdiction));
    const start = performance.now();
    for (let i = 0; i < latencyEvents.length; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const event = latencyEvents[i];
      if (!event) continue;
      published.set(event.id, performance.now());
      void publisher.publish(event);
    }
    await expectEventually(() => {
      const done = latencyEvents.filter((e) => (arrivals.get(e.id)?.length ?? 0) >= subscriptionCount).length;
      if (done < latencyEvents.length) throw new Error(`${done} complete`);
    }, { timeoutMs: 120_000, intervalMs: 50 });
    const histogram = build();
    for (const event of latencyEvents) for (const at of arrivals.get(event.id) ?? []) histogram.recordValue(Math.max(1, Math.round((at - (published.get(event.id) ?? at)) * 1000)));

    // 2. Throughput: a burst.
    log(`throughput: ${burst} triaged events at once -> ${burst * subscriptionCount} deliveries`);
    const burstEvents = reports.slice(latencyCount).map((r) => triagedEvent(r.data.incidentId, r.jurisdiction));
    const burstCost = new PhaseCost(child.pid, statementFile, backendsProbe);
    await burstCost.start();
    const cpuBefore = cpuSeconds(child.pid);
    const burstStart = performance.now();
    for (let i = 0; i < burstEvents.length; i += 500) await Promise.all(burstEvents.slice(i, i + 500).map((e) => publisher.publish(e)));
    const publishedIn = performance.now() - burstStart;
    await expectEventually(() => {
      const done = burstEvents.reduce((n, e) => n + (arrivals.get(e.id)?.length ?? 0), 0);
      if (done < burstEvents.length * subscriptionCount) throw new Error(`${done} delivered`);
    }, { timeoutMs: 600_000, intervalMs: 50 });
    const cpuUsed = cpuSeconds(child.pid) - cpuBefore;
    const burstLine = `burst (${burst} incident.triaged): ${await burstCost.stop(burst)}`;
    await backendsProbe.close();
    const lastArrival = Math.max(...burstEvents.flatMap((e) => arrivals.get(e.id) ?? []));
    const burstSeconds = (lastArrival - burstStart) / 1000;
    const burstLatency = build();
    for (const e of burstEvents) for (const at of arrivals.get(e.id) ?? []) burstLatency.recordValue(Math.max(1, Math.round((at - burstStart) * 1000)));

    // Where the time went: routing (deliveries created) vs sending (delivered).
    const probe = new Client({ connectionString: db.url });
    await probe.connect();
    const { rows: phases } = await probe.query<{ routed: number; sent: number }>(
      `SELECT extract(epoch FROM max(d.created_at) - to_timestamp($1 / 1000.0)) AS routed, extract(epoch FROM max(d.delivered_at) - to_timestamp($1 / 1000.0)) AS sent
       FROM notification.delivery d WHERE d.event_id = ANY($2::uuid[])`,
      [Date.now() - (performance.now() - burstStart), burstEvents.map((e) => e.id)],
    );
    await probe.end();
    const ms = (h: ReturnType<typeof build>, p: number) => (h.getValueAtPercentile(p) / 1000).toFixed(1);
    const cpu = cpus();
    process.stdout.write(
      [
        `machine: ${cpu[0]?.model ?? '?'}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}; ${new Date().toISOString()}`,
        `subscriptions: ${subscriptionCount} (one receiver each)`,
        `latency (${rate}/s for ${seconds} s, ${histogram.totalCount} webhooks): triaged published -> webhook arrived p50 ${ms(histogram, 50)} ms, p99 ${ms(histogram, 99)} ms, max ${ms(histogram, 100)} ms`,
        `throughput (${burst} events x ${subscriptionCount} = ${burst * subscriptionCount} deliveries, published in ${(publishedIn / 1000).toFixed(2)} s): all delivered in ${burstSeconds.toFixed(2)} s = ${Math.round((burst * subscriptionCount) / burstSeconds)} deliveries/s; arrival after burst start p50 ${ms(burstLatency, 50)} ms, p99 ${ms(burstLatency, 99)} ms`,
        `notification CPU during the burst: ${cpuUsed.toFixed(2)} s = ${Math.round((cpuUsed * 1e6) / (burst * subscriptionCount))} µs per delivery (${Math.round((cpuUsed / burstSeconds) * 100)} % of one core); load average ${loadavg().map((l) => l.toFixed(1)).join(' / ')}`,
        reportsLine,
        burstLine,
        `burst phases: last delivery created (routed) ${Number(phases[0]?.routed).toFixed(2)} s, last delivered ${Number(phases[0]?.sent).toFixed(2)} s after the burst started`,
      ].join('\n') + '\n',
    );
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await connection.close();
    for (const receiver of receivers) {
      receiver.server.closeAllConnections();
      receiver.server.close();
    }
    await nats.cleanup();
    await db.drop();
  }
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
