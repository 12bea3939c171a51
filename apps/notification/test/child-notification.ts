import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expectEventually, freePort } from '@watchfloor/testing';

const ROOT = join(__dirname, '..', '..', '..');

/** Notification as a separate process, so a test can `kill -9` it like a crash would. */
export interface ChildNotification {
  url: string;
  /** SIGKILL: no shutdown hooks, no drain, nothing flushed. */
  kill(): Promise<void>;
  /** Starts it again with the same environment and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Spawns `apps/notification/src/main.ts` and waits until it answers `/health/ready`. */
export async function spawnNotification(env: Record<string, string>): Promise<ChildNotification> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    child = spawn(process.execPath, ['-r', '@swc-node/register', join('apps', 'notification', 'src', 'main.ts')], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), LOG_LEVEL: 'warn', ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await expectEventually(
      async () => {
        if (child?.exitCode !== null) throw new Error(`notification exited: ${output}`);
        const response = await fetch(`${url}/health/ready`);
        if (!response.ok) throw new Error(`notification not ready: ${response.status}`);
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  };
  const halt = async (signal: NodeJS.Signals) => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill(signal);
    await exited;
  };

  await start();
  return { url, kill: () => halt('SIGKILL'), restart: start, stop: () => halt('SIGTERM') };
}
