import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BaseEnv, loadConfig } from '@watchfloor/platform';
import { childPids } from '../machine';
import { SERVICE_NODE_ARGS_ENV } from './options';
import {
  commonEnv,
  exited,
  OutputCounter,
  SERVICES,
  serviceUrls,
  stopProcess,
  waitUntilReady,
  type ServiceName,
  type SystemEnvironment,
  type SystemUnderTest,
} from './system-under-test';

const READY_MARKER = 'Watchfloor is running';
const STOP_GRACE_MS = 60_000;

/**
 * The system as `npm start` runs it: tools/stack/start.ts of the root as a child (the
 * package.json script's command), with the run's database, namespace and ports in its
 * environment. It starts the services as its own children and relays their logs, which are
 * counted here. `onStarted` gets the stop function as soon as there is a process to stop.
 */
export async function startStack(root: string, env: SystemEnvironment, nodeArgs: readonly string[], onStarted: (stop: () => Promise<void>) => void): Promise<SystemUnderTest> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join('tools', 'stack', 'start.ts')], {
    cwd: root,
    env: {
      ...process.env,
      ...commonEnv(env),
      SWC_NODE_PROJECT: join(root, 'tsconfig.json'),
      WATCHFLOOR_PORT_BASE: String(env.portBase),
      // The four services, as before the console came: its idle Vite server is no part of what is measured.
      WATCHFLOOR_CONSOLE: 'off',
      ...(nodeArgs.length > 0 ? { [SERVICE_NODE_ARGS_ENV]: nodeArgs.join(' ') } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: Ctrl-C reaches the bench, which stops the stack in order.
    detached: true,
  });
  const output = new OutputCounter();
  output.attach(child);
  let sawMarker = false;
  const watchMarker = (chunk: Buffer) => {
    if (!chunk.includes(READY_MARKER)) return;
    sawMarker = true;
    child.stdout?.off('data', watchMarker);
  };
  child.stdout?.on('data', watchMarker);
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= stopStack(child.pid, () => stopProcess(child, STOP_GRACE_MS)));
  onStarted(stop);
  const assertRunning = () => {
    if (exited(child)) throw new Error(`npm start exited (${child.exitCode ?? child.signalCode}); its last lines:\n${output.lastLines()}`);
  };
  const urls = serviceUrls(env.portBase);
  await waitUntilReady(urls, assertRunning);
  for (const deadline = Date.now() + 30_000; !sawMarker && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  if (!sawMarker) throw new Error(`npm start never printed "${READY_MARKER}"; its last lines:\n${output.lastLines()}`);
  const pids = servicePids(child.pid ?? -1);
  return {
    mode: 'start',
    description: `npm start (tools/stack/start.ts, pid ${child.pid}) in ${root}, services on ${env.portBase + 1}-${env.portBase + 4}`,
    urls,
    // The stack passes the environment on, so the services check tokens with what it holds.
    authSecret: loadConfig(BaseEnv, process.env).AUTH_DEV_SECRET,
    pids,
    launcherPid: child.pid,
    output,
    assertRunning: () => {
      assertRunning();
      for (const [name, pid] of pids) if (!alive(pid)) throw new Error(`${name} (pid ${pid}) exited; the stack's last lines:\n${output.lastLines()}`);
    },
    stop,
  };
}

/** The stack's children, by the app each runs (`node ... apps/<name>/src/main.ts`). */
function servicePids(stackPid: number): Map<ServiceName, number> {
  const pids = new Map<ServiceName, number>();
  for (const pid of childPids(stackPid)) {
    const commandLine = readCommandLine(pid);
    const name = SERVICES.find((service) => commandLine.includes(join('apps', service, 'src', 'main.ts')));
    if (name) pids.set(name, pid);
  }
  const missing = SERVICES.filter((name) => !pids.has(name));
  if (missing.length > 0) throw new Error(`npm start (pid ${stackPid}) has no process for ${missing.join(', ')}`);
  return pids;
}

/** The stack stops its services itself on SIGTERM; any left after its grace are killed by pid. */
async function stopStack(stackPid: number | undefined, stopLauncher: () => Promise<void>): Promise<void> {
  const services = stackPid === undefined ? [] : childPids(stackPid);
  await stopLauncher();
  for (const pid of services.filter(alive)) process.kill(pid, 'SIGKILL');
}

function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
