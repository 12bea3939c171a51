import type { ChildProcess } from 'node:child_process';
import { Socket } from 'node:net';
import type { Mode } from './options';

export const SERVICES = ['intake', 'triage', 'notification', 'audit'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The four services as one run drives them. */
export interface SystemUnderTest {
  mode: Mode;
  description: string;
  urls: Record<ServiceName, string>;
  /** HS256 secret the services check development tokens with. */
  authSecret: string;
  /** Each service's process. */
  pids: Map<ServiceName, number>;
  /** Start mode: the `npm start` process, which relays the services' logs. */
  launcherPid?: number;
  /** What the services (and the launcher) printed, counted and discarded. */
  output: OutputCounter;
  /** Throws when a process of the system has exited on its own. */
  assertRunning(): void;
  /** SIGTERM and wait (so --cpu-prof profiles are written); safe to call twice. */
  stop(): Promise<void>;
}

/** What the system's environment must hold in both modes. */
export interface SystemEnvironment {
  databaseUrl: string;
  natsUrl: string;
  namespace: string;
  portBase: number;
}

/** Environment both modes give the services: the run's database, NATS namespace and an unreachable rate limit. */
export function commonEnv(env: SystemEnvironment): Record<string, string> {
  return {
    DATABASE_URL: env.databaseUrl,
    NATS_URL: env.natsUrl,
    NATS_NAMESPACE: env.namespace,
    // One benchmark caller would otherwise be capped at 600 requests a minute.
    RATE_LIMIT_PER_MINUTE: '100000000',
  };
}

export function serviceUrls(portBase: number): Record<ServiceName, string> {
  return { intake: `http://127.0.0.1:${portBase + 1}`, triage: `http://127.0.0.1:${portBase + 2}`, notification: `http://127.0.0.1:${portBase + 3}`, audit: `http://127.0.0.1:${portBase + 4}` };
}

/**
 * Bytes and lines a process printed. A user's terminal would show them; here they are only
 * counted (cheaply: no line splitting), and the last few kilobytes kept to explain a failure.
 */
export class OutputCounter {
  bytes = 0;
  lines = 0;
  private tail = '';

  attach(child: ChildProcess): void {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on('data', (chunk: Buffer) => {
        this.bytes += chunk.length;
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) this.lines += 1;
        this.tail = (this.tail + chunk.toString('utf8')).slice(-4000);
      });
    }
  }

  /** The last lines printed, for an error message. */
  lastLines(count = 15): string {
    return this.tail.split('\n').slice(-count).join('\n');
  }
}

/** Waits until every service answers /health/ready; fails early when `alive()` throws. */
export async function waitUntilReady(urls: Record<ServiceName, string>, alive: () => void, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const [name, url] of Object.entries(urls)) {
    for (;;) {
      alive();
      try {
        if ((await fetch(`${url}/health/ready`)).ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${name} was not ready at ${url} after ${timeoutMs / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
export function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Refuses to start on ports something already listens on (another run, a developer's `npm start`). */
export async function assertPortsFree(urls: Record<ServiceName, string>): Promise<void> {
  for (const url of Object.values(urls)) {
    const port = Number(new URL(url).port);
    if (await listening(port)) throw new Error(`port ${port} is in use; choose other ports with --port-base`);
  }
}

export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, '127.0.0.1', () => done(true));
  });
}
