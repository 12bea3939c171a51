// `npm start`: the whole system on one machine. Finds or starts Postgres and NATS, starts
// every service that exists, waits until each is ready, prints URLs and development tokens,
// and stops everything on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readableLine } from '@watchfloor/platform';
import { consoleWanted, startConsole } from './console';
import { provideInfrastructure, stopChild, type Stopper } from './infrastructure';
import { developmentTokens } from './tokens';

const ROOT = join(__dirname, '..', '..');
// Local use only: notification may call webhooks on this machine over plain http.
const LOCAL_NOTIFICATION = { NOTIFICATION_ALLOW_HTTP: 'true', NOTIFICATION_ALLOW_LOOPBACK: 'true' };
// A try-out should see an unacknowledged emergency escalate within a minute (production: 5 min).
const LOCAL_TRIAGE = { TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS: process.env['TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS'] ?? '60' };
// `npm start -- --json` keeps the services' JSON lines as they are.
const RAW_JSON = process.argv.includes('--json');
const COLOR = process.stdout.isTTY && !process.env['NO_COLOR'];
const PREFIX_COLORS: Record<string, string> = { intake: '\x1b[36m', triage: '\x1b[35m', notification: '\x1b[32m', audit: '\x1b[34m', console: '\x1b[33m' };

// Services listen on 3001-3004; WATCHFLOOR_PORT_BASE=4000 moves them to 4001-4004.
const PORT_BASE = Number(process.env['WATCHFLOOR_PORT_BASE'] ?? 3000);
if (!Number.isInteger(PORT_BASE) || PORT_BASE < 1 || PORT_BASE > 65_530) {
  process.stderr.write(`[stack] WATCHFLOOR_PORT_BASE must be a port number (1-65530), not "${process.env['WATCHFLOOR_PORT_BASE']}"\n`);
  process.exit(1);
}

// Extra node arguments for every service process, split on spaces, e.g.
// WATCHFLOOR_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (NODE_OPTIONS refuses
// --cpu-prof); `npm run bench:system -- --node-args` uses it.
const SERVICE_NODE_ARGS = (process.env['WATCHFLOOR_SERVICE_NODE_ARGS'] ?? '').split(' ').filter(Boolean);

const SERVICES: Array<{ name: string; port: number; env?: Record<string, string> }> = [
  { name: 'intake', port: PORT_BASE + 1 },
  { name: 'triage', port: PORT_BASE + 2, env: LOCAL_TRIAGE },
  { name: 'notification', port: PORT_BASE + 3, env: LOCAL_NOTIFICATION },
  { name: 'audit', port: PORT_BASE + 4 },
].filter((service) => existsSync(join(ROOT, 'apps', service.name, 'src', 'main.ts')));

// The console (apps/console) on the port below the services': 3000 by default.
const CONSOLE_PORT = PORT_BASE;
const WITH_CONSOLE = consoleWanted(process.env) && existsSync(join(ROOT, 'apps', 'console', 'vite.config.mjs'));

const say = (line: string) => process.stdout.write(`${prefix('stack')} ${line}\n`);

async function main(): Promise<void> {
  const infra = await provideInfrastructure(process.env, say);
  const stoppers: Stopper[] = [...infra.stoppers];
  const children = SERVICES.map((service) => {
    const child = startService(service.name, {
      ...process.env,
      NODE_ENV: process.env['NODE_ENV'] ?? 'development',
      DATABASE_URL: infra.databaseUrl,
      NATS_URL: infra.natsUrl,
      PORT: String(service.port),
      ...service.env,
    });
    stoppers.push(() => stopChild(child));
    return { ...service, child };
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const stopper of stoppers.reverse()) await stopper().catch((error: Error) => say(`stop failed: ${error.message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const { name, child } of children) {
    child.once('exit', (code) => {
      if (!stopping) {
        say(`${name} exited (${code}); stopping the stack`);
        void stop(1);
      }
    });
  }

  await Promise.all(
    children.map(async ({ name, port, child }) => {
      // An exit is reported (and stops the stack) by its exit listener above.
      if (!(await answers(`http://127.0.0.1:${port}/health/ready`, child, 120_000)) && child.exitCode === null) throw new Error(`${name} was not ready on port ${port} after 2 minutes`);
    }),
  );
  if (stopping) return;
  const tokens = await developmentTokens(process.env);
  let consoleUrl: string | undefined;
  if (WITH_CONSOLE) {
    const personas = Object.entries(tokens).map(([role, token]) => ({ role, token }));
    const child = startConsole(ROOT, CONSOLE_PORT, PORT_BASE, personas, process.env);
    relayLines('console', child);
    stoppers.push(() => stopChild(child));
    // The services are the system; a console that cannot start (its port taken, say) is said, not fatal.
    child.once('exit', (code) => {
      if (!stopping) say(`console exited (${code}); the services keep running`);
    });
    const url = `http://127.0.0.1:${CONSOLE_PORT}/`;
    // Undefined when it exited or did not answer within 30 s.
    consoleUrl = (await answers(url, child, 30_000)) ? url : undefined;
  }
  printSummary(tokens, consoleUrl);
}

function startService(name: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, '-r', '@swc-node/register', join('apps', name, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  relayLines(name, child);
  return child;
}

/** Each line the child prints, prefixed with its name (the services' JSON made readable). */
function relayLines(name: string, child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) {
      createInterface({ input: stream }).on('line', (line) => {
        // Vite's banner has blank lines; an empty prefixed line says nothing.
        if (line.trim() !== '') process.stdout.write(`${prefix(name)} ${RAW_JSON ? line : readableLine(line, { color: COLOR })}\n`);
      });
    }
  }
}

/**
 * Whether `url` answers 2xx within `timeoutMs`; false as soon as `child` (the process that
 * should answer) has exited.
 */
async function answers(url: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline && child.exitCode === null; ) {
    try {
      if ((await fetch(url)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

/** `[intake]      `, coloured per service on a terminal, so four services read as four columns of a story. */
function prefix(name: string): string {
  const label = `[${name}]`.padEnd(14);
  return COLOR ? `${PREFIX_COLORS[name] ?? ''}${label}\x1b[0m` : label;
}

function printSummary(tokens: Record<string, string>, consoleUrl: string | undefined): void {
  const lines = [
    '',
    'Watchfloor is running.',
    ...(consoleUrl ? [`  ${'console'.padEnd(13)} ${consoleUrl}   sign in as any role below`] : []),
    ...SERVICES.map(({ name, port }) => `  ${name.padEnd(13)} http://127.0.0.1:${port}/v1   docs http://127.0.0.1:${port}/docs   openapi http://127.0.0.1:${port}/docs/json`),
    '',
    'Development tokens (valid 12 h; mint others with `npm run token -- --help`):',
    ...Object.entries(tokens).map(([role, token]) => `  ${role.padEnd(11)} ${token}`),
    '',
    `Local settings: an unacknowledged emergency escalates after ${LOCAL_TRIAGE.TRIAGE_ACK_DEADLINE_EMERGENCY_SECONDS} s (production default: 300 s);`,
    '  webhooks may target http:// and this machine.',
    '',
    'Next: `npm run demo` in another terminal plays an election day through the APIs.',
    `Try:  curl -s -H "Authorization: Bearer $TOKEN" http://127.0.0.1:${PORT_BASE + 1}/v1/incidents`,
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: Error) => {
  process.stderr.write(`[stack] ${error.message}\n`);
  process.exit(1);
});
