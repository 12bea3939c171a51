// `npm run bench:system`: the whole system as a user runs it (`npm start`, or the container
// image's `node dist/main.js <service>`), on its own ports, database and NATS namespace,
// with a signed-webhook subscription to everything; closed and open loops, end-to-end
// latencies, backlog over time and cost per incident. `npm run bench:system -- --help`.
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createTestDatabase, useNats } from '@watchfloor/testing';
import { watchSubject } from '../event-watcher';
import type { LoadTarget } from '../load';
import { machineInfo } from '../machine';
import { PhaseMeter } from './accounting';
import { measureAlertmanager } from './alertmanager-peer';
import { BacklogSampler } from './backlog';
import { DatabaseProbe } from './db-probe';
import { Arrivals } from './end-to-end';
import { buildImage, startImage } from './image-mode';
import { NatsProbe } from './nats-probe';
import { parseSystemOptions, type SystemOptions } from './options';
import { idlePhase, loadPhase, warmUp, type PhaseContext, type PhaseResult } from './phases';
import { collectProfiles, profileDirectory } from './profiles';
import { formatReport, type SystemReport } from './report';
import { runTokens, submissionBodies, subscribeReceiver } from './setup';
import { startStack } from './stack-mode';
import { assertPortsFree, serviceUrls, type SystemEnvironment, type SystemUnderTest } from './system-under-test';
import { SignedWebhookReceiver } from './webhook-receiver';

const REPO = join(__dirname, '..', '..', '..');
const ALERTMANAGER_SCRIPT = join(REPO, '..', 'shared', 'bench', 'alertmanager.sh');

const log = (line: string) => process.stderr.write(`[bench:system] ${line}\n`);

/** What the run started, stopped in reverse order whatever happens (error, Ctrl-C, watchdog). */
class Cleanups {
  private readonly steps: Array<{ name: string; run: () => Promise<void> }> = [];
  private running: Promise<void> | undefined;

  add(name: string, run: () => Promise<void>): void {
    this.steps.push({ name, run });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (let step = this.steps.pop(); step; step = this.steps.pop()) {
        await step.run().catch((error: unknown) => log(`cleanup of ${step?.name} failed: ${error instanceof Error ? error.message : String(error)}`));
      }
    })();
    return this.running;
  }
}

/** Seconds a run may take before the watchdog ends it (and still cleans up). */
function budgetS(options: SystemOptions): number {
  const phases = 1 + options.rates.length;
  const peer = options.peer ? options.warmupS + options.durationS + 60 : 0;
  return 600 + peer + options.warmupS + options.durationS + options.rates.length * options.rateDurationS + (phases + 1) * (options.drainS + options.settleS) + options.settleS;
}

function commitOf(root: string): string {
  try {
    const sha = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} (working tree has uncommitted changes)` : sha;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

async function run(options: SystemOptions, cleanups: Cleanups): Promise<SystemReport> {
  const startedAt = new Date();
  const machine = machineInfo();
  if (options.mode === 'image' && !options.skipBuild) buildImage(options.root, log);
  const database = await createTestDatabase('wf_sysbench');
  cleanups.add(`database ${database.name}`, database.drop);
  const nats = await useNats();
  cleanups.add(`streams of ${nats.namespace}`, nats.cleanup);
  const env: SystemEnvironment = { databaseUrl: database.url, natsUrl: nats.url, namespace: nats.namespace, portBase: options.portBase };
  await assertPortsFree(serviceUrls(options.portBase));
  log(`starting the system (${options.mode} mode): database ${database.name}, NATS namespace ${nats.namespace}, ports ${options.portBase + 1}-${options.portBase + 4}`);
  const onStarted = (stop: () => Promise<void>) => cleanups.add('the system', stop);
  const system: SystemUnderTest =
    options.mode === 'start' ? await startStack(options.root, env, options.nodeArgs, onStarted) : await startImage(options.root, env, options.nodeArgs, onStarted);
  log(`running: ${[...system.pids].map(([name, pid]) => `${name} ${pid}`).join(', ')}`);

  const tokens = await runTokens(system);
  const receiver = new SignedWebhookReceiver();
  cleanups.add('webhook receiver', () => receiver.close());
  const subscription = await subscribeReceiver(system, tokens.partner, receiver);
  const db = await DatabaseProbe.connect(database.url);
  cleanups.add('database probe', () => db.close());
  const natsProbe = await NatsProbe.connect(nats.url, nats.namespace);
  cleanups.add('NATS probe', () => natsProbe.close());
  const servers = { postgres: await db.serverVersion(), nats: natsProbe.serverVersion };
  const sampler = new BacklogSampler(natsProbe, db);
  sampler.start();
  cleanups.add('backlog sampler', () => sampler.stop());
  const arrivals = new Arrivals(receiver, db);
  const watch = await watchSubject(nats.url, `${nats.namespace}.incident.triaged.>`, (id, atMs) => arrivals.onTriaged(id, atMs));
  cleanups.add('triaged watcher', () => watch.stop());

  const { bodies, meanBytes, tlpChanged } = submissionBodies(options.bodies, options.seed);
  const target: LoadTarget = { url: system.urls.intake, token: tokens.official, bodies, idempotencyKeys: false };
  const meter = new PhaseMeter(system, db, natsProbe, new URL(nats.url).port || '4222');
  cleanups.add('phase meter', () => Promise.resolve(meter.dispose()));
  const context: PhaseContext = {
    system,
    target,
    db,
    sampler,
    arrivals,
    receiver,
    meter,
    connections: options.connections,
    drainS: options.drainS,
    settleS: options.settleS,
    log,
  };

  const idle = await idlePhase(context);
  // Alertmanager while Watchfloor is idle, and stopped before Watchfloor is loaded.
  const peer = options.peer
    ? await measureAlertmanager(ALERTMANAGER_SCRIPT, { connections: options.connections, durationS: options.durationS, warmupS: options.warmupS }, log, (stop) => cleanups.add('alertmanager', stop))
    : undefined;
  await warmUp(context, options.warmupS);
  const phases: PhaseResult[] = [await loadPhase(context, options.durationS)];
  for (const rate of options.rates) phases.push(await loadPhase(context, options.rateDurationS, rate));

  await sampler.stop();
  const pids = new Map(system.pids);
  log('stopping the system');
  await system.stop();
  const profileDir = profileDirectory(options.nodeArgs, options.root);
  const closed = phases[0]?.http;
  const flatRates = phases.filter((phase) => phase.kind === 'open' && phase.backlog.flat).map((phase) => phase.rate ?? 0);
  return {
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    command: `npm run bench:system -- ${process.argv.slice(2).join(' ')}`.trim(),
    mode: options.mode,
    system: system.description,
    root: options.root,
    commit: commitOf(options.root),
    machine,
    loadAverageAfter: machineInfo().loadAverage,
    servers,
    options,
    setup: { database: database.name, namespace: nats.namespace, subscription, bodies: { count: bodies.length, meanBytes, tlpChangedToAmber: tlpChanged } },
    idle,
    peer,
    phases,
    ratioToPeer: peer && closed && peer.http.perSecond > 0 ? closed.perSecond / peer.http.perSecond : undefined,
    sustainedRate: flatRates.length > 0 ? Math.max(...flatRates) : null,
    receiver: { verified: receiver.verified, forged: receiver.forged, duplicates: receiver.duplicates },
    output: { bytes: system.output.bytes, lines: system.output.lines },
    profiles: profileDir ? { dir: profileDir, services: collectProfiles(profileDir, pids) } : undefined,
    backlogSampleFailures: sampler.failures,
  };
}

async function main(): Promise<number> {
  const options = parseSystemOptions(process.argv.slice(2), REPO);
  const cleanups = new Cleanups();
  const stopOnSignal = (signal: string) => {
    log(`${signal}: stopping everything the run started`);
    void cleanups.run().finally(() => process.exit(130));
  };
  // While tearing down, a probe still in flight fails on its closed connection: say so, keep cleaning up.
  process.on('unhandledRejection', (error: unknown) => log(`unhandled: ${error instanceof Error ? error.message : String(error)}`));
  process.once('SIGINT', () => stopOnSignal('SIGINT'));
  process.once('SIGTERM', () => stopOnSignal('SIGTERM'));
  const budget = budgetS(options);
  const watchdog = setTimeout(() => {
    log(`still running after ${budget} s; giving up`);
    void cleanups.run().finally(() => process.exit(1));
  }, budget * 1000);
  try {
    const report = await run(options, cleanups);
    const text = formatReport(report);
    if (options.json) {
      process.stderr.write(text);
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      process.stdout.write(text);
    }
    return 0;
  } finally {
    clearTimeout(watchdog);
    await cleanups.run();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench:system] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
