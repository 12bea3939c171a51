import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, expectEventually, isListening, useNats, type TestDatabase, type TestNats } from '@watchfloor/testing';

const ROOT = join(__dirname, '..', '..');

/** A process of ours and everything it printed. */
interface Running {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * A newcomer's machine may run no Postgres and no NATS. Where this process may make a network
 * namespace (root, util-linux's unshare), the stack runs in one with only loopback, which hides
 * this machine's servers: `npm start` must then start its embedded Postgres and a nats-server,
 * in a data folder as fresh as a new clone's. Elsewhere it runs on this machine's servers.
 */
const HIDE_SERVERS = spawnSync('unshare', ['--net', 'true']).status === 0;

/** The command that runs `argv` in a new loopback-only network namespace, or in `pid`'s. */
function inNamespace(argv: string[], pid?: number): string[] {
  if (pid !== undefined) return ['nsenter', `--net=/proc/${pid}/ns/net`, ...argv];
  return ['unshare', '--net', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh', ...argv];
}

function run(script: string, env: NodeJS.ProcessEnv, namespaceOf?: number): Running {
  let output = '';
  const node = [process.execPath, '-r', '@swc-node/register', script];
  const [command, ...args] = HIDE_SERVERS ? inNamespace(node, namespaceOf) : node;
  const child = spawn(command as string, args, {
    cwd: ROOT,
    env: { ...env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** A base port whose next four ports are free, for the stack's 4 services. */
async function freePortBase(): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const taken = await Promise.all([1, 2, 3, 4].map((offset) => isListening('127.0.0.1', base + offset)));
    if (!taken.some(Boolean)) return base;
  }
}

// What a newcomer does (README): `npm start`, then `npm run demo` in another terminal, with a
// 3 s emergency deadline. Hidden from this machine's servers where it can be (above); otherwise
// on a database and NATS namespace of its own, on free ports.
describe(`npm start, then npm run demo (${HIDE_SERVERS ? 'no Postgres or NATS running: embedded ones' : "this machine's Postgres and NATS"})`, () => {
  let db: TestDatabase | undefined;
  let nats: TestNats | undefined;
  let dataDir: string | undefined;
  let stack: Running | undefined;

  beforeAll(async () => {
    if (HIDE_SERVERS) {
      dataDir = mkdtempSync(join(tmpdir(), 'watchfloor-first-run-'));
      // The embedded Postgres runs as the `postgres` user when started by root.
      chmodSync(dataDir, 0o755);
    } else {
      [db, nats] = await Promise.all([createTestDatabase('wf_stack'), useNats()]);
    }
  });
  afterAll(async () => {
    if (stack && stack.child.exitCode === null) {
      stack.child.kill('SIGTERM');
      await stack.exited;
    }
    await nats?.cleanup();
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('plays an election day through the running services, and their logs tell the story', async () => {
    const { DATABASE_URL: _db, NATS_URL: _nats, ...machine } = process.env;
    const servers = db && nats ? { DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace } : { WATCHFLOOR_DATA_DIR: dataDir };
    const env = {
      ...machine,
      ...servers,
      WATCHFLOOR_PORT_BASE: String(await freePortBase()),
      TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS: '3',
      NO_COLOR: '1',
      // The demo plays through the APIs; the console has its own browser tests (e2e/console).
      WATCHFLOOR_CONSOLE: 'off',
      // Each event published is a debug line (at info, one per event per service costs more than the publish).
      LOG_LEVEL: 'debug',
    };
    const started = run('tools/stack/start.ts', env);
    stack = started;
    await expectEventually(() => {
      if (started.child.exitCode !== null) throw new Error(`npm start exited: ${started.output()}`);
      expect(started.output()).toContain('Watchfloor is running.');
    }, { timeoutMs: 240_000, intervalMs: 200 });
    if (HIDE_SERVERS) expect(started.output()).toMatch(/Postgres: embedded[^]*NATS: nats-server started/);
    for (const role of ['official', 'automation', 'triage', 'partner', 'auditor', 'admin']) {
      expect(started.output()).toMatch(new RegExp(`^ {2}${role} +eyJ`, 'm'));
    }

    const demo = run('tools/demo/demo.ts', env, started.child.pid);
    const code = await demo.exited;
    const told = demo.output();
    expect({ code, told }).toEqual({ code: 0, told: expect.stringContaining('Done.') });
    expect(told).toMatch(/emergency score 98\.71/);
    expect(told).toMatch(/3 incidents in county:cobb, county:dekalb, county:gwinnett/);
    expect(told).toMatch(/is "investigating", priority severe/);
    expect(told).toMatch(/escalated to level 1: shift-lead is paged/);
    expect(told).toMatch(/escalation stops/);
    expect(told).toMatch(/every signature verified/);
    expect(told).toMatch(/hash chain valid/);

    // Each service's readable log lines show its part of the flow.
    const logs = started.output();
    const ns = nats ? `${nats.namespace}.` : '';
    for (const [service, subject] of [
      ['intake', `${ns}incident.reported.ga`],
      ['triage', `${ns}incident.escalated.ga`],
      ['notification', `${ns}notification.delivered.ga`],
    ]) {
      expect(logs).toMatch(new RegExp(`^\\[${service}\\] +\\d\\d:\\d\\d:\\d\\d\\.\\d{3} DEBUG event published .*subject=${subject.replace(/\./g, '\\.')}`, 'm'));
    }
    expect(logs).toMatch(/^\[audit\] +\d\d:\d\d:\d\d\.\d{3} INFO {2}request .*url=\/v1\/audit\/verify .*status=200/m);

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  }, 420_000);
});
