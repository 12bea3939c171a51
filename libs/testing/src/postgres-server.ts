import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

/**
 * A PostgreSQL server of the test's own (initdb in a temporary directory, on a free loopback
 * port), which it may restart or squeeze without touching the machine's server that other
 * suites share. Needs Debian's postgresql package (its binaries under /usr/lib/postgresql).
 */
export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  url: string;
  /** Restarts it with a fast shutdown: every connection is cut, the server is back when this resolves. */
  restart(): Promise<void>;
  /** Shuts it down (fast): every connection is cut and new ones are refused until {@link up}. */
  down(): Promise<void>;
  /** Starts it again after {@link down}. */
  up(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

/** The newest installed PostgreSQL's bin directory, or undefined. */
export function postgresBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

const run = promisify(execFile);

/** initdb refuses to run as root: as root, the server runs as the `postgres` user. */
async function asServerUser(binary: string, args: string[]): Promise<void> {
  if (process.getuid?.() === 0) await run('runuser', ['-u', 'postgres', '--', binary, ...args]);
  else await run(binary, args);
}

/** How {@link startPostgresServer} configures the server. */
export interface PostgresServerOptions {
  maxConnections?: number;
  /** `shared_preload_libraries`, e.g. `pg_stat_statements` to count the statements a test makes. */
  preloadLibraries?: string[];
}

export async function startPostgresServer(options: PostgresServerOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql: apt-get install postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'wf-postgres-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const ctl = (...args: string[]) => asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-w', '-t', '60', ...args]);
  await asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const preload = options.preloadLibraries?.length ? ` -c shared_preload_libraries=${options.preloadLibraries.join(',')}` : '';
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=${options.maxConnections ?? 200}${preload}`;
  const up = () => ctl('-o', settings, '-l', join(dir, 'log'), 'start');
  await up();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => ctl('-o', settings, '-l', join(dir, 'log'), '-m', 'fast', 'restart'),
    down: () => ctl('-m', 'fast', 'stop'),
    up,
    stop: async () => {
      try {
        await ctl('-m', 'fast', 'stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
