import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createTestDatabase, freePort, useNats } from '@watchfloor/testing';
import { reportedEventsSource, type ReportedEventsSource } from './event-watcher';

const ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 15_000;
const PROFILE_TIMEOUT_MS = 30_000;

/** The intake a run loads, spawned for it or already running. */
export interface IntakeUnderTest {
  url: string;
  events: ReportedEventsSource;
  /** How it was set up, for the report. */
  description: string;
  /** Spawned only: its process id and database, for CPU accounting. */
  pid?: number;
  databaseName?: string;
  /** Spawned with a profiler only. */
  profiler?: { start(): Promise<void>; stop(file: string): Promise<void> };
  /** Stops what the run started and removes what it created; safe to call twice. */
  cleanup(): Promise<void>;
}

/** An intake someone else runs: nothing to start, nothing to clean up. */
export function runningIntake(url: string, natsUrl: string, namespace: string | undefined): IntakeUnderTest {
  return {
    url,
    events: reportedEventsSource(natsUrl, namespace),
    description: `running intake at ${url}${namespace ? `, NATS namespace ${namespace}` : ''}`,
    cleanup: () => Promise.resolve(),
  };
}

/** Settings of a spawned intake. */
export interface SpawnOptions {
  /** Extra environment (intake's tuning knobs). */
  env: Record<string, string>;
  withProfiler: boolean;
  log(line: string): void;
  /** Receives the cleanup as soon as there is something to clean up, so Ctrl-C during start-up leaves nothing behind. */
  onCleanup(cleanup: () => Promise<void>): void;
}

/**
 * A fresh intake of the run's own: a new database, a unique NATS namespace and a child
 * process on a free port, with the per-caller rate limit lifted (one benchmark caller
 * would otherwise be capped at 600 requests a minute). Resolves once it is ready.
 */
export async function spawnIntake(options: SpawnOptions): Promise<IntakeUnderTest> {
  const database = await createTestDatabase('wf_bench');
  const nats = await useNats();
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
    DATABASE_URL: database.url,
    NATS_URL: nats.url,
    NATS_NAMESPACE: nats.namespace,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000000',
    ...options.env,
  };
  const child = startChild(env, options);
  let cleaned: Promise<void> | undefined;
  const cleanup = () => {
    cleaned ??= (async () => {
      await stopChild(child);
      await database.drop().catch((error: Error) => options.log(`could not drop database ${database.name}: ${error.message}`));
      await nats.cleanup().catch((error: Error) => options.log(`could not delete streams of ${nats.namespace}: ${error.message}`));
    })();
    return cleaned;
  };
  options.onCleanup(cleanup);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, child);
  } catch (error) {
    await cleanup();
    throw error;
  }
  const knobs = Object.entries(options.env).map(([key, value]) => `${key}=${value}`);
  return {
    url,
    events: reportedEventsSource(nats.url, nats.namespace),
    description: `spawned intake (pid ${child.pid}), fresh database ${database.name}, NATS namespace ${nats.namespace}${knobs.length ? `, ${knobs.join(' ')}` : ', default knobs'}`,
    pid: child.pid,
    databaseName: database.name,
    profiler: options.withProfiler ? profilerOf(child) : undefined,
    cleanup,
  };
}

function startChild(env: NodeJS.ProcessEnv, options: SpawnOptions): ChildProcess {
  const preload = ['-r', '@swc-node/register', ...(options.withProfiler ? ['-r', join(__dirname, 'cpu-profile-hook.ts')] : [])];
  const child = spawn(process.execPath, [...preload, join('apps', 'intake', 'src', 'main.ts')], {
    cwd: ROOT,
    env,
    // An IPC channel only when profiling: the profiler hook is driven through it.
    stdio: ['ignore', 'pipe', 'pipe', ...(options.withProfiler ? (['ipc'] as const) : [])],
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on('line', (line) => options.log(`[intake] ${line}`));
  }
  return child;
}

async function waitUntilReady(url: string, child: ChildProcess): Promise<void> {
  for (const deadline = Date.now() + READY_TIMEOUT_MS; ; ) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`intake exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`intake was not ready after ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** SIGTERM (Nest drains the group committer), then SIGKILL if it hangs. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function profilerOf(child: ChildProcess): IntakeUnderTest['profiler'] {
  const command = (type: string, file?: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`intake did not answer ${type}`)), PROFILE_TIMEOUT_MS);
      const onMessage = (message: unknown) => {
        const reply = message as { type?: string; error?: string };
        if (reply.type !== `${type}:done`) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        if (reply.error) reject(new Error(reply.error));
        else resolve();
      };
      child.on('message', onMessage);
      child.send({ type, file });
    });
  return { start: () => command('cpu-profile:start'), stop: (file) => command('cpu-profile:stop', file) };
}
