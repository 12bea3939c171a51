import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const STOP_GRACE_MS = 30_000;

/** `npm run build` in the root: dist/, what the Dockerfile's build stage makes. */
export function buildImage(root: string, log: (line: string) => void): void {
  log(`npm run build in ${root}`);
  const result = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm run build failed in ${root} (exit ${result.status ?? result.signal})`);
}

/**
 * Secrets production insists on (the public development defaults are refused when
 * NODE_ENV=production): fresh ones per run, never written anywhere.
 */
function productionSecrets(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ed25519');
  return {
    AUTH_DEV_SECRET: randomBytes(32).toString('base64url'),
    NOTIFICATION_SECRET_KEY: randomBytes(32).toString('base64'),
    AUDIT_SIGNING_KEY: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
  };
}

/**
 * The image's NODE_OPTIONS (its `ENV NODE_OPTIONS="..."`, V8's heap bound), so the services run
 * with the flags a container gives them; none when the Dockerfile sets none (older checkouts).
 */
export function imageNodeOptions(root: string): string | undefined {
  const dockerfile = join(root, 'Dockerfile');
  if (!existsSync(dockerfile)) return undefined;
  const set = [...readFileSync(dockerfile, 'utf8').matchAll(/^ENV\s.*\bNODE_OPTIONS=(?:"([^"]*)"|(\S+))/gm)].pop();
  return set ? (set[1] ?? set[2]) : undefined;
}

/**
 * The system as the container image runs it: `node dist/main.js <service>` per service with
 * the image's NODE_ENV=production and NODE_OPTIONS and a container's clean environment (only PATH besides
 * what is set here). HOST stays 127.0.0.1 (the image says 0.0.0.0: nothing here should be
 * reachable from elsewhere). Notification may call the loopback receiver over http, which
 * production forbids unless allowed, as `npm start` allows it.
 */
export async function startImage(root: string, env: SystemEnvironment, nodeArgs: readonly string[], onStarted: (stop: () => Promise<void>) => void): Promise<SystemUnderTest> {
  const entry = join(root, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run without --skip-build`);
  const secrets = productionSecrets();
  const nodeOptions = imageNodeOptions(root);
  const urls = serviceUrls(env.portBase);
  const output = new OutputCounter();
  const children = new Map<ServiceName, ChildProcess>();
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= Promise.all([...children.values()].map((child) => stopProcess(child, STOP_GRACE_MS))).then(() => undefined));
  onStarted(stop);
  for (const [index, name] of SERVICES.entries()) {
    const child = spawn(process.execPath, [...nodeArgs, entry, name], {
      cwd: root,
      env: {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        NODE_ENV: 'production',
        ...(nodeOptions !== undefined ? { NODE_OPTIONS: nodeOptions } : {}),
        HOST: '127.0.0.1',
        PORT: String(env.portBase + index + 1),
        ...commonEnv(env),
        ...secrets,
        ...(name === 'notification' ? { NOTIFICATION_ALLOW_HTTP: 'true', NOTIFICATION_ALLOW_LOOPBACK: 'true' } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    output.attach(child);
    children.set(name, child);
  }
  const assertRunning = () => {
    for (const [name, child] of children) {
      if (exited(child)) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}); last lines printed:\n${output.lastLines()}`);
    }
  };
  await waitUntilReady(urls, assertRunning);
  return {
    mode: 'image',
    description: `node dist/main.js <service> x4 in ${root} (NODE_ENV=production${nodeOptions !== undefined ? `, NODE_OPTIONS=${nodeOptions}` : ''}, fresh secrets), services on ${env.portBase + 1}-${env.portBase + 4}`,
    urls,
    authSecret: secrets['AUTH_DEV_SECRET'] as string,
    pids: new Map([...children].map(([name, child]) => [name, child.pid ?? -1])),
    output,
    assertRunning,
    stop,
  };
}
