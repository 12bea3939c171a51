import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, expectEventually, isListening, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';

const ROOT = join(__dirname, '..', '..');

/** `npm start` (tools/stack/start.ts) on a database and NATS namespace of its own, console included. */
export interface RunningStack {
  consoleUrl: string;
  /** The development token `npm start` printed for each role. */
  tokens: Record<string, string>;
  /** Calls a service's API through the console's proxy, as the browser does; a body is sent as JSON (POST unless `method` says otherwise). */
  api(service: string, path: string, token: string, body?: unknown, method?: string): Promise<Response>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * A base port with it and the next four free: the console and the four services. Drawn below
 * Linux's ephemeral range (32768 and up), where an outgoing connection of any process may
 * take a port between this check and the listen (it took the console's once in CI).
 */
async function freePortBase(): Promise<number> {
  for (;;) {
    const base = 10_000 + Math.floor(Math.random() * 22_000);
    const taken = await Promise.all([0, 1, 2, 3, 4].map((offset) => isListening('127.0.0.1', base + offset)));
    if (!taken.some(Boolean)) return base;
  }
}

export async function startStack(): Promise<RunningStack> {
  const [db, nats]: [TestDatabase, TestNats] = await Promise.all([createTestDatabase('wf_console'), useNats()]);
  const portBase = await freePortBase();
  const viteCache = mkdtempSync(join(tmpdir(), 'wf-console-vite-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', 'tools/stack/start.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      NATS_NAMESPACE: nats.namespace,
      WATCHFLOOR_PORT_BASE: String(portBase),
      NO_COLOR: '1',
      CONSOLE_CACHE_DIR: viteCache,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await nats.cleanup();
    await db.drop();
    rmSync(viteCache, { recursive: true, force: true });
  };
  try {
    await expectEventually(() => {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${output}`);
      expect(output).toContain('Watchfloor is running.');
    }, { timeoutMs: 120_000, intervalMs: 200 });
  } catch (error) {
    await stop();
    throw error;
  }
  const consoleUrl = /^ {2}console +(http:\S+)/m.exec(output)?.[1];
  if (!consoleUrl) {
    await stop();
    throw new Error(`npm start printed no console URL:\n${output}`);
  }
  const tokens = Object.fromEntries([...output.matchAll(/^ {2}(\w+) +(eyJ\S+)$/gm)].map(([, role, token]) => [role, token]));
  const base = consoleUrl.replace(/\/$/, '');
  return {
    consoleUrl: base,
    tokens,
    api: (service, path, token, body, method) =>
      fetch(`${base}/api/${service}${path}`, {
        method: method ?? (body === undefined ? 'GET' : 'POST'),
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    output: () => output,
    stop,
  };
}
