// `npm run bench`: load POST /v1/incidents with varied valid submissions and report
// accepted/s, HTTP latency, errors and the outbox lag (201 -> event on JetStream).
// By default it spawns an intake of its own (fresh database, own NATS namespace) and
// removes everything afterwards; --url loads a running one. See `npm run bench -- --help`.
import 'reflect-metadata';
import { resolve } from 'node:path';
import { BaseEnv, devTokenOptions, loadConfig, signDevToken } from '@watchfloor/platform';
import { parseBenchArgs, UsageError, USAGE, type BenchOptions } from './args';
import { watchReportedEvents, type EventWatch } from './event-watcher';
import { runningIntake, spawnIntake, type IntakeUnderTest } from './intake-under-test';
import { runClosedLoop, runOpenLoop, type LoadOutcome, type LoadTarget, type ResponseSink } from './load';
import { CpuAccounting, machineInfo, pidsWhere, type ProcessGroups } from './machine';
import { sampleDatabase } from './postgres-probe';
import { summariseProfile } from './profile-summary';
import { RunRecorder } from './recorder';
import { formatReport, type RunReport } from './report';
import { assertAllValid, generateSubmissions } from './submissions';

const NATIONAL = 'ocd-division/country:us';
const SETUP_BUDGET_S = 180;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** A caller whose jurisdiction covers every county the bodies name. */
async function nationalOfficialToken(): Promise<string> {
  const config = loadConfig(BaseEnv, process.env);
  const claims = { sub: 'intake-bench', name: 'Intake benchmark', roles: ['official'] as const, jurisdiction: NATIONAL, clearance: 'red' as const, org: 'watchfloor-bench' };
  return signDevToken(claims, config.AUTH_DEV_SECRET, '2h', devTokenOptions(config));
}

function prepareBodies(options: BenchOptions): { bodies: Buffer[]; meanBytes: number } {
  const submissions = generateSubmissions(options.bodies, options.seed);
  assertAllValid(submissions);
  const bodies = submissions.map((submission) => Buffer.from(JSON.stringify(submission)));
  return { bodies, meanBytes: bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length };
}

function runLoad(target: LoadTarget, options: BenchOptions, durationS: number, sink: ResponseSink): Promise<LoadOutcome> {
  return options.rate === undefined
    ? runClosedLoop(target, { connections: options.connections, durationS }, sink)
    : runOpenLoop(target, { connections: options.connections, durationS, rate: options.rate }, sink);
}

/**
 * Intake itself, Postgres backends serving its database, and the nats-server on its port.
 * Each call also records the database's commit counter in `commits` (spawned intake only).
 */
function processGroups(intake: IntakeUnderTest, commits: number[]): ProcessGroups {
  const natsPort = new URL(intake.events.natsUrl).port || '4222';
  return async () => {
    const groups = new Map<string, readonly number[]>();
    if (intake.pid !== undefined) groups.set('intake', [intake.pid]);
    if (intake.databaseName !== undefined) {
      const sample = await sampleDatabase(intake.databaseName);
      groups.set('postgres backends', sample.backendPids);
      commits.push(sample.commits);
    }
    const nats = pidsWhere((argv) => (argv[0] ?? '').endsWith('nats-server') && argv.some((arg, i) => (arg === '-p' || arg === '--port') && argv[i + 1] === natsPort));
    if (nats.length > 0) groups.set('nats-server (shared)', nats);
    return groups;
  };
}

/** Waits until every measured 201 has its event, or the drain time is up; returns seconds waited. */
async function drain(recorder: RunRecorder, drainS: number): Promise<number> {
  const started = Date.now();
  while (recorder.lag.missing > 0 && Date.now() - started < drainS * 1000) await new Promise((done) => setTimeout(done, 50));
  return (Date.now() - started) / 1000;
}

async function measure(intake: IntakeUnderTest, options: BenchOptions, startedAt: Date): Promise<RunReport> {
  const machine = machineInfo();
  const { bodies, meanBytes } = prepareBodies(options);
  const target: LoadTarget = { url: intake.url, token: await nationalOfficialToken(), bodies, idempotencyKeys: options.idempotencyKeys };
  const recorder = new RunRecorder();
  const sink: ResponseSink = (status, body, latencyMs, atMs) => recorder.onResponse(status, body, latencyMs, atMs);
  const watch: EventWatch = await watchReportedEvents(intake.events, (id, atMs) => recorder.lag.onEvent(id, atMs));
  try {
    if (options.warmupS > 0) {
      log(`warm-up ${options.warmupS} s`);
      await runLoad(target, options, options.warmupS, sink);
    }
    recorder.phase = 'measure';
    const commits: number[] = [];
    const cpu = new CpuAccounting(processGroups(intake, commits));
    await cpu.start();
    await intake.profiler?.start();
    log(`measuring ${options.durationS} s`);
    const outcome = await runLoad(target, options, options.durationS, sink);
    const cpuReport = await cpu.stop();
    const profileFile = options.cpuProfile === undefined ? undefined : resolve(options.cpuProfile);
    if (profileFile) await intake.profiler?.stop(profileFile);
    const drainedInS = await drain(recorder, options.drainS);
    return {
      startedAt,
      machine,
      loadAverageAfter: machineInfo().loadAverage,
      options,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      intake: intake.description,
      bodies: { count: bodies.length, meanBytes },
      outcome,
      measured: recorder.measured,
      lag: recorder.lag,
      drainedInS,
      cpu: cpuReport,
      commits: commits.length === 2 ? (commits[1] as number) - (commits[0] as number) : undefined,
      profile: profileFile ? { file: profileFile, summary: summariseProfile(profileFile) } : undefined,
    };
  } finally {
    await watch.stop();
  }
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseBenchArgs(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\nRun with --help for usage.\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const startedAt = new Date();
  // Set before anything is created, so an interrupt at any point still cleans up.
  let cleanup: () => Promise<void> = () => Promise.resolve();
  const stopOnSignal = () => {
    log('interrupted; cleaning up');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  // Bounded whatever happens: a hung phase ends the run and still cleans up.
  const budgetS = SETUP_BUDGET_S + options.warmupS + options.durationS + options.drainS + 60;
  const watchdog = setTimeout(() => {
    log(`still running after ${budgetS} s; giving up`);
    void cleanup().finally(() => process.exit(1));
  }, budgetS * 1000);
  log(options.url ? `using ${options.url}` : 'spawning an intake with a fresh database and NATS namespace');
  const intake = options.url
    ? runningIntake(options.url, options.natsUrl, options.namespace)
    : await spawnIntake({
        env: options.intakeEnv,
        withProfiler: options.cpuProfile !== undefined,
        log,
        onCleanup: (spawned) => {
          cleanup = spawned;
        },
      });
  try {
    const report = await measure(intake, options, startedAt);
    process.stdout.write(formatReport(report));
    return 0;
  } finally {
    clearTimeout(watchdog);
    await intake.cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
