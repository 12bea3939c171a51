// `npm run bench:triage` (or the command in docs/BENCHMARKS.md): triage's two figures.
//  1. Backlog: N incident.reported events already on the stream, then triage starts;
//     incidents triaged per second (from the server timestamps of the incident.triaged events).
//  2. Steady rate: intake and triage running, officials submitting at a fixed rate; time
//     from intake's 201 to incident.triaged arriving on the stream (p50/p99).
// The backlog also reports triage's Postgres backends' CPU and the statements triage sent per
// incident (a preloaded counter, statement-count-hook.ts). `--no-steady` runs the backlog only;
// `--distinct N` repeats N distinct submissions, so that most reports correlate.
// Everything runs on a fresh database and NATS namespace of its own, removed afterwards.
import 'reflect-metadata';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createEvent, normalizeSubmission, type IncidentSubmission } from '@watchfloor/contracts';
import { EventPublisher, provisionTopology, Topology } from '@watchfloor/messaging';
import { BaseEnv, devTokenOptions, loadConfig, signDevToken } from '@watchfloor/platform';
import { createTestDatabase, spawnService, useNats } from '@watchfloor/testing';
import { spawnIntake } from './intake-under-test';
import { runOpenLoop } from './load';
import { machineInfo } from './machine';
import { summariseProfile } from './profile-summary';
import { BackendCpu } from './system/backend-cpu';
import { DatabaseProbe } from './system/db-probe';
import { assertAllValid, generateSubmissions } from './submissions';
import { statementsAfter, statementsSoFar } from './statement-counts';

const log = (line: string) => process.stderr.write(`[triage-bench] ${line}\n`);

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

const BACKLOG = option('backlog', 3000);
const RATE = option('rate', 100);
const DURATION_S = option('duration', 20);
const SEED = option('seed', 7);
/** `--profile DIR`: CPU-profile triage during the backlog and print where its time went. */
const PROFILE_DIR = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;

const cleanups: Array<() => Promise<void>> = [];
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** Triage as a child process on `env`; resolves once ready. */
async function spawnTriage(env: Record<string, string>, nodeArgs: string[] = []): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const child = await spawnService('triage', { LOG_LEVEL: 'warn', ...env }, { waitFor: 'ready', nodeArgs, onLine: (line) => log(`[triage] ${line}`) });
  cleanups.push(() => child.stop());
  return { url: child.url, pid: child.pid() ?? 0, stop: () => child.stop() };
}

/** incident.triaged events of a namespace so far. */
async function triagedSoFar(natsUrl: string, namespace: string): Promise<number> {
  const nc = await connect({ servers: natsUrl });
  try {
    const info = await (await jetstreamManager(nc)).streams.info(`${namespace}_INCIDENTS`, { subjects_filter: `${namespace}.incident.triaged.>` });
    return Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
  } finally {
    await nc.close();
  }
}

/** Server timestamps (ms) of the incident.triaged events of a namespace, once there are `count`. */
async function triagedTimestamps(natsUrl: string, namespace: string, count: number): Promise<number[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const stream = `${namespace}_INCIDENTS`;
    const subject = `${namespace}.incident.triaged.>`;
    for (let last = -1, deadline = Date.now() + 10 * 60_000; ; ) {
      const info = await jsm.streams.info(stream, { subjects_filter: subject });
      const total = Object.values(info.state.subjects ?? {}).reduce((sum, n) => sum + n, 0);
      if (total >= count) break;
      if (Date.now() > deadline) throw new Error(`backlog: only ${total}/${count} triaged after 10 minutes`);
      if (total !== last) log(`backlog: ${total}/${count} triaged`);
      last = total;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const consumer = await jetstream(nc).consumers.get(stream, { filter_subjects: subject, deliver_policy: DeliverPolicy.All });
    const times: number[] = [];
    const messages = await consumer.fetch({ max_messages: count, expires: 30_000 });
    for await (const message of messages) {
      times.push(message.info.timestampNanos / 1e6);
      if (times.length >= count) break;
    }
    return times.sort((a, b) => a - b);
  } finally {
    await nc.close();
  }
}

function reportedEvents(submissions: IncidentSubmission[]) {
  return submissions.map((raw, i) => {
    const submission = normalizeSubmission(raw);
    const incidentId = crypto.randomUUID();
    const receivedAt = new Date();
    return createEvent(
      'watchfloor.incident.reported.v1',
      { incidentId, version: 1, reference: `WF-${receivedAt.getUTCFullYear()}-${String(i + 1).padStart(6, '0')}`, submission, submittedBy: { sub: 'bench' }, receivedAt: receivedAt.toISOString() },
      { source: '/watchfloor/intake', subject: incidentId, tlp: submission.tlp, jurisdiction: submission.jurisdiction, correlationId: incidentId, time: receivedAt },
    );
  });
}

/** CPU time (ms) a process has used so far (user + system), from /proc. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

interface BacklogResult {
  perSecond: number;
  seconds: number;
  cpuMsPerIncident: number;
  postgresMsPerIncident: number;
  statementsPerIncident: number;
  /** The commonest statements, per incident. */
  topStatements: Array<[string, number]>;
}

async function backlog(): Promise<BacklogResult> {
  const db = await createTestDatabase('wf_bench');
  const nats = await useNats();
  cleanups.push(() => db.drop(), () => nats.cleanup());
  // `--distinct N`: N distinct submissions, repeated (as bench:system repeats its 2,048): nearly every report then correlates.
  const distinct = process.argv.includes('--distinct') ? option('distinct', BACKLOG) : BACKLOG;
  const pool = generateSubmissions(Math.min(distinct, BACKLOG), SEED);
  assertAllValid(pool);
  const submissions = Array.from({ length: BACKLOG }, (_, i) => pool[i % pool.length] as (typeof pool)[number]);
  const nc = await connect({ servers: nats.url });
  const topology = new Topology(nats.namespace);
  // The streams exist before triage does: its durable consumers then start from the first message.
  await provisionTopology(await jetstreamManager(nc), topology);
  const publisher = new EventPublisher(jetstream(nc), topology);
  const events = reportedEvents(submissions);
  log(`backlog: publishing ${BACKLOG} incident.reported events`);
  for (let i = 0; i < events.length; i += 256) await Promise.all(events.slice(i, i + 256).map((event) => publisher.publish(event)));
  await nc.close();
  log('backlog: starting triage');
  const profileArgs = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : [];
  // Statements counted in triage by a preloaded hook (after swc, which the second -r finds loaded).
  const statementFile = join(tmpdir(), `triage-bench-statements-${process.pid}.json`);
  const countArgs = ['-r', '@swc-node/register', '-r', join(__dirname, 'statement-count-hook.ts')];
  const probe = await DatabaseProbe.connect(db.url);
  cleanups.push(() => probe.close());
  const backends = new BackendCpu(probe);
  const { pid, stop } = await spawnTriage({ DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, STATEMENT_COUNT_FILE: statementFile }, [...profileArgs, ...countArgs]);
  await backends.start();
  const { triaged: atReady, cpu: cpuAtReady } = { triaged: await triagedSoFar(nats.url, nats.namespace), cpu: cpuMs(pid) };
  const statementsAtReady = statementsSoFar(statementFile);
  const times = await triagedTimestamps(nats.url, nats.namespace, BACKLOG);
  const measured = Math.max(1, BACKLOG - atReady);
  const cpuMsPerIncident = (cpuMs(pid) - cpuAtReady) / measured;
  const postgresMs = [...(await backends.stop()).values()].reduce((sum, ms) => sum + ms, 0);
  const statementsAtEnd = await statementsAfter(statementFile, Date.now());
  const topStatements = Object.entries(statementsAtEnd.counts)
    .map(([sql, n]): [string, number] => [sql, (n - (statementsAtReady.counts[sql] ?? 0)) / measured])
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 25);
  const seconds = ((times[times.length - 1] ?? 0) - (times[0] ?? 0)) / 1000;
  if (PROFILE_DIR) {
    await stop();
    const newest = readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.cpuprofile')).sort().pop();
    if (newest) {
      const summary = summariseProfile(join(PROFILE_DIR, newest), 25);
      log(`profile ${newest}: by package (inclusive) ${summary.inclusiveByPackage.map(([n, p]) => `${n} ${p.toFixed(1)}%`).join(', ')}`);
      log(`by package (self) ${summary.selfByPackage.map(([n, p]) => `${n} ${p.toFixed(1)}%`).join(', ')}`);
      for (const [name, share] of summary.selfByFunction) log(`  ${share.toFixed(1)}% ${name}`);
    }
  }
  return {
    perSecond: (times.length - 1) / seconds, seconds, cpuMsPerIncident,
    postgresMsPerIncident: postgresMs / measured,
    statementsPerIncident: (statementsAtEnd.total - statementsAtReady.total) / measured,
    topStatements,
  };
}

async function steadyRate(): Promise<{ sent: number; accepted: number; matched: number; p50: number; p90: number; p99: number; max: number; triageP50: number; triageP99: number }> {
  const intake = await spawnIntake({ env: {}, withProfiler: false, log, onCleanup: (cleanup) => cleanups.push(cleanup) });
  const namespace = intake.events.stream.replace(/_INCIDENTS$/, '');
  const db = await createTestDatabase('wf_bench');
  cleanups.push(() => db.drop());
  const steadyProfile = PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/steady`] : [];
  const triage = await spawnTriage({ DATABASE_URL: db.url, NATS_URL: intake.events.natsUrl, NATS_NAMESPACE: namespace }, steadyProfile);

  const accepted = new Map<string, number>();
  const triaged = new Map<string, number>();
  const reported = new Map<string, number>();
  const nc = await connect({ servers: intake.events.natsUrl });
  // Everything on the stream, in order: reported (intake's part of the lag) and triaged (triage's part).
  const consumer = await jetstream(nc).consumers.get(intake.events.stream, { filter_subjects: `${namespace}.incident.>`, deliver_policy: DeliverPolicy.New });
  const messages = await consumer.consume({ max_messages: 1000 });
  const watching = (async () => {
    for await (const message of messages) {
      const at = performance.now();
      const { type, data } = message.json<{ type: string; data: { incidentId: string; version: number } }>();
      if (type === 'watchfloor.incident.reported.v1') reported.set(data.incidentId, at);
      if (type === 'watchfloor.incident.triaged.v1' && data.version === 1 && !triaged.has(data.incidentId)) triaged.set(data.incidentId, at);
    }
  })();

  const config = loadConfig(BaseEnv, process.env);
  const token = await signDevToken(
    { sub: 'triage-bench', name: 'Triage benchmark', roles: ['official'], jurisdiction: 'ocd-division/country:us', clearance: 'red', org: 'watchfloor-bench' },
    config.AUTH_DEV_SECRET, '2h', devTokenOptions(config),
  );
  const submissions = generateSubmissions(2000, SEED + 1).map((submission) =>
    // `--no-phones`: without the generator's small per-state pool of phone numbers, which links most of a state's reports into one campaign.
    process.argv.includes('--no-phones') ? { ...submission, observables: submission.observables.filter((o) => o.type !== 'phone') } : submission,
  );
  assertAllValid(submissions);
  let sent = 0;
  log(`steady: ${RATE}/s for ${DURATION_S} s`);
  await runOpenLoop(
    { url: intake.url, token, bodies: submissions.map((s) => Buffer.from(JSON.stringify(s))), idempotencyKeys: false },
    { connections: 32, durationS: DURATION_S, rate: RATE },
    (status, body, _latencyMs, atMs) => {
      sent += 1;
      if (status === 201) accepted.set((JSON.parse(body) as { id: string }).id, atMs);
    },
  );
  for (const deadline = Date.now() + 30_000; Date.now() < deadline && [...accepted.keys()].some((id) => !triaged.has(id)); ) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  messages.stop();
  await watching;
  await nc.close();
  if (PROFILE_DIR) await triage.stop();
  const lags = [...accepted].flatMap(([id, at]) => (triaged.has(id) ? [(triaged.get(id) ?? at) - at] : [])).sort((a, b) => a - b);
  const triageLags = [...reported].flatMap(([id, at]) => (triaged.has(id) ? [(triaged.get(id) ?? at) - at] : [])).sort((a, b) => a - b);
  return {
    sent, accepted: accepted.size, matched: lags.length, p50: percentile(lags, 50), p90: percentile(lags, 90), p99: percentile(lags, 99), max: lags[lags.length - 1] ?? NaN,
    triageP50: percentile(triageLags, 50), triageP99: percentile(triageLags, 99),
  };
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const started = new Date();
  const backlogResult = await backlog();
  // `--no-steady`: the backlog only (before/after comparisons interleaved in the same minutes).
  const steady = process.argv.includes('--no-steady') ? undefined : await steadyRate();
  const lines = [
    `triage benchmark, ${started.toISOString()}`,
    `machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB.toFixed(1)} GiB, ${machine.osRelease}, Node ${machine.node}, load ${machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
    `backlog: ${BACKLOG} incidents triaged in ${backlogResult.seconds.toFixed(2)} s = ${backlogResult.perSecond.toFixed(0)} incidents/s; triage process CPU ${(backlogResult.cpuMsPerIncident * 1000).toFixed(0)} µs per incident, its Postgres backends ${(backlogResult.postgresMsPerIncident * 1000).toFixed(0)} µs; ${backlogResult.statementsPerIncident.toFixed(2)} statements per incident`,
    ...backlogResult.topStatements.map(([sql, n]) => `    ${n.toFixed(2)} ${sql}`),
    ...(steady
      ? [
          `steady rate ${RATE}/s for ${DURATION_S} s: ${steady.sent} sent, ${steady.accepted} accepted (201), ${steady.matched} triaged`,
          `  201 -> incident.triaged on the stream: p50 ${steady.p50.toFixed(1)} ms, p90 ${steady.p90.toFixed(1)} ms, p99 ${steady.p99.toFixed(1)} ms, max ${steady.max.toFixed(1)} ms`,
          `  of which incident.reported -> incident.triaged (triage's part): p50 ${steady.triageP50.toFixed(1)} ms, p99 ${steady.triageP99.toFixed(1)} ms`,
        ]
      : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`triage benchmark failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: Error) => log(`cleanup: ${error.message}`));
    process.exit();
  });
