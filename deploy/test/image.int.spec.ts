// The image's contents, proven without a container engine: the Dockerfile's stages are
// rebuilt as directories (image-filesystem.ts: the real `npm run build`, node_modules holding
// only what `npm ci --omit=...` keeps), then each service starts from them with plain `node`
// and the image's ENV, as the role the Postgres init script made for it, against a nats-server
// running deploy/compose/nats.conf, with the environment docker-compose.yml gives it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { createTestDatabase, expectEventually, freePort, natsServerBinary, testPostgresUrl, withClient, type TestDatabase } from '@watchfloor/testing';
import { parseEnvFile, readCompose, REPO_ROOT, serviceEnvironment, type ComposeFile } from './compose-file';
import { envOf, execForm, type Stage } from './dockerfile';
import { buildImageFilesystem, lockPackages, type ImageFilesystem } from './image-filesystem';
import { SERVICES, servicePort, type ServiceName } from './service-env';

const ROLES_SCRIPT = join(REPO_ROOT, 'deploy', 'postgres', 'create-service-roles.sh');

describe('the container image', () => {
  let dir: string;
  let image: ImageFilesystem;
  let runtime: Stage;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wf-image-'));
    image = buildImageFilesystem(dir);
    runtime = image.dockerfile.stages[image.dockerfile.stages.length - 1];
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The runtime's entry point as host paths: `node <main.js>`. */
  const entryPoint = () => {
    const [binary, script] = execForm(runtime, 'ENTRYPOINT') as string[];
    return { binary, script: image.path(runtime.name, script) };
  };
  /** Node as the image runs it: links are not resolved, so only the production tree is visible. */
  const nodeArgs = (script: string, ...args: string[]) => ['--preserve-symlinks', '--preserve-symlinks-main', script, ...args];

  it('runs on a pinned slim Node >= 20.19, as a numeric non-root user, in production mode', () => {
    const [, version, variant] = /^node:(\d+\.\d+\.\d+)-(\S+)$/.exec(runtime.from) ?? [];
    expect({ image: runtime.from, variant }).toEqual({ image: runtime.from, variant: expect.stringMatching(/slim/) });
    const [major, minor] = (version ?? '0.0.0').split('.').map(Number);
    expect(major === 20 ? minor >= 19 : major > 20).toBe(true);
    const user = [...runtime.instructions].reverse().find(({ keyword }) => keyword === 'USER')?.text;
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(envOf(runtime)).toEqual(expect.objectContaining({ NODE_ENV: 'production', HOST: '0.0.0.0' }));
    expect(entryPoint().binary).toBe('node');
  });

  it('holds only the build output and the production packages', () => {
    expect(readdirSync(image.path(runtime.name, '.')).sort()).toEqual(['dist', 'node_modules']);
    const dist = image.path(runtime.name, 'dist');
    expect(readdirSync(dist).sort()).toEqual(['apps', 'libs', 'main.js', 'node_modules']);
    const files = walk(dist);
    expect(files.filter((file) => /\.ts$|\.spec\.|\/test\//.test(file))).toEqual([]);
    expect(readdirSync(join(dist, 'libs')).sort()).toEqual(['contracts', 'messaging', 'persistence', 'platform']);
  });

  it('starts any of the four services by argument, and names them for anything else', () => {
    const { script } = entryPoint();
    for (const service of SERVICES) expect(statSync(join(script, '..', 'apps', service, 'src', 'main.js')).isFile()).toBe(true);
    const wrong = spawnSync(process.execPath, nodeArgs(script, 'nope'), { encoding: 'utf8' });
    expect(wrong.status).toBe(64);
    expect(wrong.stderr).toContain('<audit|intake|notification|triage>');
  });

  it('requires only packages listed in dependencies (never a devDependency)', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const dist = image.path(runtime.name, 'dist');
    const required = new Set<string>();
    for (const file of walk(dist).filter((path) => path.endsWith('.js') && !path.includes('/node_modules/'))) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)) {
        if (specifier.startsWith('.') || isBuiltin(specifier)) continue;
        required.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]);
      }
    }
    expect(required.size).toBeGreaterThan(10);
    const missing = [...required].filter((name) => !name.startsWith('@watchfloor/') && !(name in manifest.dependencies));
    expect(missing).toEqual([]);
    const libs = [...required].filter((name) => name.startsWith('@watchfloor/'));
    for (const lib of libs) expect(statSync(join(dist, 'node_modules', lib, 'package.json')).isFile()).toBe(true);
    expect(libs).not.toContain('@watchfloor/testing');
  });

  it('leaves the development packages out of node_modules, as `npm ci --omit=dev` does', () => {
    const nested = Object.keys(lockPackages()).filter((path) => path.slice('node_modules/'.length).includes('/node_modules/'));
    // Nested packages come with their parent's link: exact only while none is dev under a production parent.
    const packages = lockPackages();
    const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/node_modules/'));
    expect(nested.filter((path) => packages[path].dev && !packages[parentOf(path)]?.dev)).toEqual([]);
    const probe = (name: string) =>
      spawnSync(process.execPath, ['--preserve-symlinks', '-e', `require.resolve(${JSON.stringify(name)})`], { cwd: image.path(runtime.name, 'dist') }).status;
    expect({ pg: probe('pg'), nest: probe('@nestjs/core') }).toEqual({ pg: 0, nest: 0 });
    expect({ jest: probe('jest'), typescript: probe('typescript'), swc: probe('@swc-node/register') }).toEqual({ jest: 1, typescript: 1, swc: 1 });
  });

  describe('running the four services from it', () => {
    let secrets: Record<string, string>;
    let compose: ComposeFile;
    let database: TestDatabase;
    let nats: { url: string; monitor: string; process: ChildProcess };
    const prefix = `wf_t${Date.now().toString(36)}_`;
    const running: Array<{ service: ServiceName; child: ChildProcess; url: string; output: () => string }> = [];

    beforeAll(async () => {
      const envFile = join(dir, '.env');
      const init = spawnSync(join(REPO_ROOT, 'deploy', 'compose', 'init-env.sh'), [envFile], { encoding: 'utf8' });
      if (init.status !== 0) throw new Error(init.stderr);
      secrets = parseEnvFile(readFileSync(envFile, 'utf8'));
      compose = readCompose(secrets);
      database = await createTestDatabase('wf_image');
      nats = await startComposeNats(dir, secrets['NATS_PASSWORD']);
    }, 60_000);

    afterAll(async () => {
      await Promise.all(running.map(({ child }) => stopChild(child)));
      if (nats) await stopChild(nats.process);
      await database?.drop();
      await withAdmin((client) => client.query(['intake', 'triage', 'notification', 'audit_owner'].map((role) => `DROP ROLE IF EXISTS "${prefix}${role}";`).join('')));
    }, 60_000);

    it('creates a role and a schema per service with the Postgres init script, idempotently', async () => {
      const pg = new URL(database.url);
      const env = {
        PATH: process.env['PATH'] ?? '',
        PGHOST: pg.hostname,
        PGPORT: pg.port || '5432',
        PGUSER: decodeURIComponent(pg.username),
        PGPASSWORD: decodeURIComponent(pg.password),
        PGDATABASE: database.name,
        WATCHFLOOR_ROLE_PREFIX: prefix,
        ...Object.fromEntries(Object.entries(secrets).filter(([name]) => name.endsWith('_DB_PASSWORD'))),
      };
      for (let run = 0; run < 2; run++) {
        const result = spawnSync(ROLES_SCRIPT, [], { env, encoding: 'utf8' });
        expect({ run, status: result.status, stderr: result.stderr.replace(/.*already exists, skipping\n/g, '') }).toEqual({ run, status: 0, stderr: '' });
      }
      const owners = await withClient(database.url, (client) =>
        client.query<{ nspname: string; owner: string }>(
          "SELECT nspname, pg_get_userbyid(nspowner) AS owner FROM pg_namespace WHERE nspname IN ('intake', 'triage', 'notification', 'audit') ORDER BY nspname",
        ),
      );
      expect(owners.rows).toEqual([
        { nspname: 'audit', owner: `${prefix}audit_owner` },
        { nspname: 'intake', owner: `${prefix}intake` },
        { nspname: 'notification', owner: `${prefix}notification` },
        { nspname: 'triage', owner: `${prefix}triage` },
      ]);
      const missing = spawnSync(ROLES_SCRIPT, [], { env: { ...env, AUDIT_DB_PASSWORD: '' }, encoding: 'utf8' });
      expect(missing.status).not.toBe(0);
      expect(missing.stderr).toContain('AUDIT_DB_PASSWORD');
    });

    it('serves every service until /health/ready, each migrating its schema as its own role', async () => {
      const { script } = entryPoint();
      for (const service of SERVICES) {
        const env = serviceEnvironment(compose.services[service]);
        const composeUrl = new URL(env['DATABASE_URL']);
        const url = new URL(database.url);
        url.username = composeUrl.username.replace(/^watchfloor_/, prefix);
        url.password = composeUrl.password;
        const port = await freePort();
        // The image's ENV, then compose's environment, then this machine's addresses.
        const childEnv = { PATH: process.env['PATH'] ?? '', ...envOf(runtime), ...env, DATABASE_URL: url.toString(), NATS_URL: nats.url, PORT: String(port), LOG_LEVEL: 'warn' };
        let output = '';
        const child = spawn(process.execPath, nodeArgs(script, ...((compose.services[service].command as string[]) ?? [])), {
          cwd: image.path(runtime.name, '.'),
          env: childEnv,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
        running.push({ service, child, url: `http://127.0.0.1:${port}`, output: () => output });
      }
      await Promise.all(
        running.map(({ service, child, url, output }) =>
          expectEventually(
            async () => {
              if (child.exitCode !== null) throw new Error(`${service} exited (${child.exitCode}): ${output()}`);
              const response = await fetch(`${url}/health/ready`);
              if (!response.ok) throw new Error(`${service} answers /health/ready with ${response.status}: ${output()}`);
            },
            { timeoutMs: 90_000, intervalMs: 200 },
          ),
        ),
      );
      const owners = await withClient(database.url, (client) =>
        client.query<{ schemaname: string; owners: string[] }>(
          "SELECT schemaname, array_agg(DISTINCT tableowner::text) AS owners FROM pg_tables WHERE schemaname IN ('intake', 'triage', 'notification', 'audit') GROUP BY schemaname ORDER BY schemaname",
        ),
      );
      expect(owners.rows).toEqual([
        { schemaname: 'audit', owners: [`${prefix}audit_owner`] },
        { schemaname: 'intake', owners: [`${prefix}intake`] },
        { schemaname: 'notification', owners: [`${prefix}notification`] },
        { schemaname: 'triage', owners: [`${prefix}triage`] },
      ]);
    }, 120_000);

    it("answers compose's health check command, run with plain node", async () => {
      expect(running.map(({ service }) => service)).toEqual([...SERVICES]);
      for (const { service, url } of running) {
        const composePort = servicePort(service, serviceEnvironment(compose.services[service]));
        const [, , , code] = compose.services[service].healthcheck?.test as string[];
        const probe = (target: string) => spawnSync(process.execPath, ['-e', code.replace(`http://127.0.0.1:${composePort}`, target)], { timeout: 20_000 }).status;
        expect({ service, healthy: probe(url) }).toEqual({ service, healthy: 0 });
      }
      // The same command fails when nothing answers, so a dead service is seen as one.
      const [, , , code] = compose.services['intake'].healthcheck?.test as string[];
      const nobody = `http://127.0.0.1:${await freePort()}`;
      expect(spawnSync(process.execPath, ['-e', code.replace('http://127.0.0.1:3001', nobody)], { timeout: 20_000 }).status).toBe(1);
    }, 60_000);
  });
});

/** nats-server with deploy/compose/nats.conf (its store moved to a temporary directory). */
async function startComposeNats(dir: string, password: string): Promise<{ url: string; monitor: string; process: ChildProcess }> {
  const binary = natsServerBinary();
  if (!binary) throw new Error('nats-server not found: install it (apt-get install nats-server) or set NATS_SERVER_BIN');
  const conf = readFileSync(join(REPO_ROOT, 'deploy', 'compose', 'nats.conf'), 'utf8');
  const storeDir = join(dir, 'nats-data');
  const confFile = join(dir, 'nats.conf');
  writeFileSync(confFile, conf.replace(/store_dir:\s*\S+/, `store_dir: ${JSON.stringify(storeDir)}`));
  const port = await freePort();
  // freePort releases the port it found, so a second call may hand out the same one.
  let monitorPort = await freePort();
  while (monitorPort === port) monitorPort = await freePort();
  const child = spawn(binary, ['-c', confFile, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)], {
    env: { PATH: process.env['PATH'] ?? '', NATS_PASSWORD: password },
    stdio: 'ignore',
  });
  const monitor = `http://127.0.0.1:${monitorPort}`;
  await expectEventually(async () => {
    if (child.exitCode !== null) throw new Error(`nats-server with deploy/compose/nats.conf exited (${child.exitCode})`);
    const response = await fetch(`${monitor}/healthz?js-enabled-only=true`);
    if (!response.ok) throw new Error(`nats healthz: ${response.status}`);
  });
  return { url: `nats://127.0.0.1:${port}`, monitor, process: child };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function withAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const url = new URL(testPostgresUrl());
  url.pathname = '/postgres';
  return withClient(url.toString(), work);
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
