import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expectEventually } from './eventually';
import { freePort } from './ports';

const ROOT = join(__dirname, '..', '..', '..');

/** A service running as its own process, so a test can `kill -9` it like a crash would. */
export interface ChildService {
  url: string;
  /** SIGKILL: no shutdown hooks, no drain, nothing flushed. */
  kill(): Promise<void>;
  /** Starts it again with the same environment and port. */
  restart(): Promise<void>;
  /** SIGTERM, and waits for it to exit. */
  stop(): Promise<void>;
  /** What it printed since it last started (for failure messages). */
  output(): string;
  /** The running process's id (benchmarks read its CPU time), if it runs. */
  pid(): number | undefined;
}

/** How {@link spawnService} starts and waits. */
export interface SpawnServiceOptions {
  /** Wait for `/health/live` (default) or `/health/ready`. */
  waitFor?: 'live' | 'ready';
  /** Extra Node.js flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** Each line it prints, as it prints it (default: kept for `output()` only). */
  onLine?: (line: string) => void;
  /** Longest wait for it to answer its probe, at each start (default 60 s). */
  startTimeoutMs?: number;
}

/**
 * Spawns `apps/<service>/src/main.ts` on a free port with `env` and waits until it answers
 * `/health/live`, or `/health/ready` with `waitFor: 'ready'` (live is what a test needs when
 * it has stopped NATS on purpose).
 */
export async function spawnService(service: string, env: Record<string, string>, options: SpawnServiceOptions = {}): Promise<ChildService> {
  const probe = `/health/${options.waitFor ?? 'live'}`;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    const running = spawn(process.execPath, [...(options.nodeArgs ?? []), '-r', '@swc-node/register', join('apps', service, 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '1000000', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = running;
    for (const stream of [running.stdout, running.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        output += text;
        if (options.onLine) for (const line of text.split('\n')) if (line) options.onLine(line);
      });
    }
    const exited = () => running.exitCode !== null || running.signalCode !== null;
    await expectEventually(
      async () => {
        if (exited()) return; // no use waiting out the deadline for a process that is gone
        const response = await fetch(`${url}${probe}`);
        if (!response.ok) throw new Error(`${service} answers ${probe} with ${response.status}`);
      },
      { timeoutMs: options.startTimeoutMs ?? 60_000, intervalMs: 100 },
    );
    if (exited()) throw new Error(`${service} exited (${running.exitCode ?? running.signalCode}) before it answered ${probe}: ${output}`);
  };
  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  await start();
  return { url, kill: () => halt('SIGKILL'), restart: start, stop: () => halt('SIGTERM'), output: () => output, pid: () => child?.pid };
}
