import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { expectEventually } from './eventually';
import { freePort, isListening } from './ports';

const LOCAL_NATS = 'nats://127.0.0.1:4222';

/** The NATS server tests share (`NATS_URL`, set by the Jest global setup). */
export function testNatsUrl(): string {
  return process.env['NATS_URL'] ?? LOCAL_NATS;
}

/** A suite's share of the common NATS server: its own namespace for streams and subjects. */
export interface TestNats {
  url: string;
  /** Prefix for this suite's stream names (`<ns>_INCIDENTS`) and subjects (`<ns>.incident.>`). */
  namespace: string;
  /** Deletes the streams of this namespace. */
  cleanup(): Promise<void>;
}

/** Gives the suite a unique namespace on the shared server, so suites never see each other. */
export async function useNats(): Promise<TestNats> {
  const url = testNatsUrl();
  const namespace = `t${randomBytes(5).toString('hex')}`;
  return { url, namespace, cleanup: () => deleteStreams(url, `${namespace}_`) };
}

async function deleteStreams(url: string, namePrefix: string): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.startsWith(namePrefix)) await jsm.streams.delete(stream.config.name);
    }
  } finally {
    await nc.close();
  }
}

/** A nats-server of the test's own, which the test may stop, kill and start again. */
export interface PrivateNats {
  url: string;
  port: number;
  /** Starts the server (again) on the same port and store directory. */
  start(): Promise<void>;
  /** Stops it gracefully (SIGTERM) and waits for the process to exit. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL) and waits for the process to exit. */
  kill(): Promise<void>;
  /** Stops it and removes its store directory. */
  dispose(): Promise<void>;
}

/** Finds a nats-server binary: `NATS_SERVER_BIN`, the PATH, or Debian's /usr/sbin. */
export function natsServerBinary(): string | undefined {
  const candidates = [process.env['NATS_SERVER_BIN'], 'nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server'];
  return candidates.find((bin): bin is string => {
    if (!bin) return false;
    if (bin.includes('/')) return existsSync(bin);
    return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
  });
}

/** What else a private server is started with. */
export interface PrivateNatsOptions {
  /** A configuration file (users, permissions); the command line still sets port and store. */
  configFile?: string;
  /** Environment of the server process, for the `$VARIABLES` of the configuration. */
  env?: Record<string, string>;
}

/** Spawns `nats-server -js` on a free loopback port with a fresh store directory. */
export async function startPrivateNats(options: PrivateNatsOptions = {}): Promise<PrivateNats> {
  const binary = natsServerBinary();
  if (!binary) throw new Error('nats-server not found: install it (apt-get install nats-server) or set NATS_SERVER_BIN');
  const port = await freePort();
  const storeDir = mkdtempSync(join(tmpdir(), 'wf-nats-'));
  let child: ChildProcess | undefined;

  const start = async () => {
    const config = options.configFile ? ['-c', options.configFile] : [];
    child = spawn(binary, [...config, '-js', '-a', '127.0.0.1', '-p', String(port), '-sd', storeDir], {
      stdio: 'ignore',
      env: { ...process.env, ...options.env },
    });
    await expectEventually(async () => {
      if (!(await isListening('127.0.0.1', port))) throw new Error(`nats-server did not start on ${port}`);
    });
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
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    start,
    stop: () => halt('SIGTERM'),
    kill: () => halt('SIGKILL'),
    dispose: async () => {
      await halt('SIGTERM');
      rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
