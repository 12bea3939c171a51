// The image's contents, proven without a container engine: the Dockerfile's stages are
// rebuilt as directories (image-filesystem.ts: the real `npm run build`, node_modules holding
// only what `npm ci --omit=...` keeps), then each service starts from them with plain `node`
// and the image's ENV, as the role the Postgres init script made for it, against a nats-server
// running deploy/compose/nats.conf, with the environment docker-compose.yml gives it. The
// operator commands (outbox-replay, audit-verify, token) run from the same image against them.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Client } from 'pg';
import { createTestDatabase, expectEventually, freePort, natsServerBinary, testPostgresUrl, withClient, type TestDatabase } from '@watchfloor/testing';
import { parseEnvFile, readCompose, REPO_ROOT, serviceEnvironment, type ComposeFile } from './compose-file';
import { envOf, execForm, type Stage } from './dockerfile';
import { buildImageFilesystem, lockPackages, type ImageFilesystem } from './image-filesystem';
import { SERVICES, servicePort, type ServiceName } from './service-env';

const ROLES_SCRIPT = join(REPO_ROOT, 'deploy', 'postgres', 'create-service-roles.sh');
/** The operator commands of the image (tools/build/launcher.cjs) and their `npm run` scripts. */
const COMMANDS = { 'audit-verify': 'audit:verify', 'outbox-replay': 'outbox:replay', token: 'token', integrity: 'integrity' } as const;

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
    // V8's heap bounded (docs/operations.md, "Memory"); the services below start with it.
    const heap = spawnSync(process.execPath, ['-p', 'require("v8").getHeapStatistics().heap_size_limit / 2 ** 20'], { env: { PATH: process.env['PATH'] ?? '', ...envOf(runtime) }, encoding: 'utf8' });
    expect(heap.stdout.trim()).toBe('216');
    expect(entryPoint().binary).toBe('node');
  });

  it('holds only the build output and the production packages', () => {
    expect(readdirSync(image.path(runtime.name, '.')).sort()).toEqual(['dist', 'node_modules']);
    const dist = image.path(runtime.name, 'dist');
    expect(readdirSync(dist).sort()).toEqual(['apps', 'console', 'libs', 'main.js', 'node_modules', 'tools']);
    expect(readdirSync(join(dist, 'tools')).sort()).toEqual(['audit', 'cli', 'integrity', 'outbox', 'token']);
    const files = walk(dist);
    expect(files.filter((file) => /\.ts$|\.spec\.|\/test\//.test(file))).toEqual([]);
    expect(readdirSync(join(dist, 'libs')).sort()).toEqual(['contracts', 'messaging', 'persistence', 'platform']);
  });

  it('starts any of the four services by argument, and names them for anything else', () => {
    const { script } = entryPoint();
    for (const service of SERVICES) expect(statSync(join(script, '..', 'apps', service, 'src', 'main.js')).isFile()).toBe(true);
    const wrong = spawnSync(process.execPath, nodeArgs(script, 'nope'), { encoding: 'utf8' });
    expect(wrong.status).toBe(64);
    expect(wrong.stderr).toContain('<audit|console|intake|notification|triage>');
    expect(wrong.stderr).toContain(`<${Object.keys(COMMANDS).join('|')}>`);
  });

  it.each(Object.entries(COMMANDS))('runs the operator command %s (%s in a checkout) with plain node, --help first', (command, script) => {
    const { script: main } = entryPoint();
    const env = { PATH: process.env['PATH'] ?? '', ...envOf(runtime) };
    const help = spawnSync(process.execPath, nodeArgs(main, command, '--help'), { cwd: image.path(runtime.name, '.'), env, encoding: 'utf8' });
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toContain(`npm run ${script === 'token' ? '-s token' : script}`);
    expect(help.stdout).toContain(`node /app/dist/main.js ${command}`);
    // A wrong command line is refused by the tool itself (exit 2), not by the launcher (64).
    const wrong = spawnSync(process.execPath, nodeArgs(main, command, '--no-such-option'), { cwd: image.path(runtime.name, '.'), env, encoding: 'utf8' });
    expect({ status: wrong.status, stdout: wrong.stdout }).toEqual({ status: 2, stdout: '' });
  });

  it("serves the built console with its server (the `console` entry), with compose's environment and plain node", async () => {
    const passwords = ['POSTGRES', 'INTAKE_DB', 'TRIAGE_DB', 'NOTIFICATION_DB', 'AUDIT_DB'].map((name) => `${name}_PASSWORD`).concat(['INTAKE', 'TRIAGE', 'NOTIFICATION', 'AUDIT'].map((user) => `NATS_PASSWORD_${user}`));
    const compose = readCompose({ ...Object.fromEntries(passwords.map((name) => [name, 'x'])), AUTH_DEV_SECRET: 'x', NOTIFICATION_SECRET_KEY: 'x', AUDIT_SIGNING_KEY: 'x' });
    const port = await freePort();
    const env = {
      PATH: process.env['PATH'] ?? '',
      ...envOf(runtime),
      ...serviceEnvironment(compose.services['console']),
      PORT: String(port),
      CONSOLE_OIDC_ISSUER: 'https://login.example.org/realms/watchfloor',
      CONSOLE_OIDC_CLIENT_ID: 'watchfloor-console',
    };
    const child = spawn(process.execPath, nodeArgs(entryPoint().script, 'console'), { cwd: image.path(runtime.name, '.'), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = `http://127.0.0.1:${port}`;
      await expectEventually(async () => {
        if (child.exitCode !== null) throw new Error(`console exited (${child.exitCode}): ${output}`);
        expect((await fetch(`${url}/health`)).status).toBe(200);
      }, { timeoutMs: 30_000, intervalMs: 100 });
      const page = await (await fetch(`${url}/queue/some-incident`)).text();
      const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(page)?.[1];
      expect(script).toBeDefined();
      const bundle = await fetch(`${url}${script}`);
      expect({ status: bundle.status, type: bundle.headers.get('content-type') }).toEqual({ status: 200, type: 'text/javascript; charset=utf-8' });
      expect(await (await fetch(`${url}/config.json`)).json()).toEqual({ signIn: 'oidc', issuer: env.CONSOLE_OIDC_ISSUER, clientId: env.CONSOLE_OIDC_CLIENT_ID, scope: 'openid' });
    } finally {
      await stopChild(child);
    }
  });

  it('requires only packages listed in dependencies (never a devDependency)', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const dist = image.path(runtime.name, 'dist');
    const required = new Set<string>();
    const compiled = walk(dist).filter((path) => path.endsWith('.js') && !path.includes('/node_modules/'));
    // The operator commands are checked with the services: they run in the same image.
    expect(compiled.map((file) => relative(dist, file)).filter((file) => file.startsWith('tools/')).sort()).toEqual([
      'tools/audit/verify.js',
      'tools/cli/command-line.js',
      'tools/integrity/check.js',
      'tools/integrity/compare.js',
      'tools/integrity/routes.js',
      'tools/outbox/replay.js',
      'tools/token/args.js',
      'tools/token/mint.js',
    ]);
    for (const file of compiled) {
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

    /** What a process in the service's container sees: the image's ENV, compose's environment, this machine's addresses. */
    const containerEnv = (service: ServiceName): Record<string, string> => {
      const env = serviceEnvironment(compose.services[service]);
      const composeUrl = new URL(env['DATABASE_URL']);
      const url = new URL(database.url);
      url.username = composeUrl.username.replace(/^watchfloor_/, prefix);
      url.password = composeUrl.password;
      return { PATH: process.env['PATH'] ?? '', ...envOf(runtime), ...env, DATABASE_URL: url.toString(), NATS_URL: nats.url, LOG_LEVEL: 'warn' };
    };
    /** `docker compose exec [-T] <service> node /app/dist/main.js <args>`, rebuilt: plain node in the image's /app. */
    const exec = (service: ServiceName, args: string[], input?: string) =>
      runNode(nodeArgs(entryPoint().script, ...args), { cwd: image.path(runtime.name, '.'), env: containerEnv(service), input });
    const urlOf = (service: ServiceName) => running.find((candidate) => candidate.service === service)?.url as string;

    beforeAll(async () => {
      const envFile = join(dir, '.env');
      const init = spawnSync(join(REPO_ROOT, 'deploy', 'compose', 'init-env.sh'), [envFile], { encoding: 'utf8' });
      if (init.status !== 0) throw new Error(init.stderr);
      secrets = parseEnvFile(readFileSync(envFile, 'utf8'));
      compose = readCompose(secrets);
      database = await createTestDatabase('wf_image');
      nats = await startComposeNats(dir, secrets);
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
        const port = await freePort();
        const childEnv = { ...containerEnv(service), PORT: String(port) };
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

    it('mints tokens, verifies an audit export and replays an outbox with the operator commands, as an operator in the containers would', async () => {
      const since = new Date(Date.now() - 60_000).toISOString();
      // `docker compose exec intake node /app/dist/main.js token ...`: the service's own AUTH_DEV_SECRET.
      const mint = async (...args: string[]) => {
        const minted = await exec('intake', ['token', ...args]);
        expect({ status: minted.status, stderr: minted.stderr }).toEqual({ status: 0, stderr: '' });
        return minted.stdout.trim();
      };
      const official = await mint('--role', 'official', '--jurisdiction', 'ocd-division/country:us/state:ga/county:fulton', '--sub', 'image-clerk');
      const auditor = await mint('--role', 'auditor', '--clearance', 'red');
      const submitted = await fetch(`${urlOf('intake')}/v1/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${official}`, 'content-type': 'application/json', 'idempotency-key': `image-tools-${prefix}` },
        body: JSON.stringify({
          title: 'Phishing e-mail impersonating the Secretary of State',
          description: 'Poll workers received an e-mail asking them to re-enter credentials on a look-alike portal.',
          category: 'phishing',
          jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
          affectedAssets: ['email_office_it'],
          impacts: { functionalImpact: 'no_impact_to_services', informationImpact: 'suspected_not_identified', recoverability: 'regular' },
          observables: [{ type: 'domain', value: 'sos-georgia-verify.com' }],
          reporter: { name: 'Dana Clerk', email: 'dana.clerk@fultoncountyga.gov' },
        }),
      });
      expect({ status: submitted.status, body: submitted.status === 201 ? '' : await submitted.text() }).toEqual({ status: 201, body: '' });
      const { id } = (await submitted.json()) as { id: string };

      // Audit records the incident's event (through intake's outbox and NATS); export it.
      const auditGet = (path: string) => fetch(`${urlOf('audit')}${path}`, { headers: { authorization: `Bearer ${auditor}` } });
      let exported = '';
      await expectEventually(
        async () => {
          const response = await auditGet('/v1/audit/export');
          exported = await response.text();
          if (!response.ok || !exported.includes(id)) throw new Error(`audit's export does not hold incident ${id} yet (${response.status})`);
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
      const { base64: publicKey } = (await (await auditGet('/v1/audit/public-key')).json()) as { base64: string };

      // `docker compose exec -T audit node /app/dist/main.js audit-verify - --public-key ... < export.jsonl`
      const clean = await exec('audit', ['audit-verify', '-', '--public-key', publicKey], exported);
      expect({ status: clean.status, stdout: clean.stdout }).toEqual({ status: 0, stdout: expect.stringMatching(/^VALID: \d+ entries/) });
      const tampered = exported.replace('"actor":"image-clerk"', '"actor":"someone-else"');
      expect(tampered).not.toBe(exported);
      const bad = await exec('audit', ['audit-verify', '-', '--public-key', publicKey], tampered);
      expect({ status: bad.status, stdout: bad.stdout }).toEqual({ status: 1, stdout: expect.stringMatching(/^INVALID at sequence \d+/) });

      // `docker compose exec intake node /app/dist/main.js outbox-replay ...`: intake's own role
      // and NATS user (compose's NATS requires one). Every row it re-queued is published again,
      // by the command or by intake's own relay, whichever claims it first.
      const unpublished = async (after: string) =>
        withClient(containerEnv('intake')['DATABASE_URL'], async (client) => {
          const { rows } = await client.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM intake.outbox WHERE created_at >= $1 AND (published_at IS NULL OR published_at < $2)',
            [since, after],
          );
          return rows[0].n;
        });
      const replayStarted = await withClient(database.url, async (client) => (await client.query<{ now: Date }>('SELECT now()')).rows[0].now.toISOString());
      expect(await unpublished(replayStarted)).toBeGreaterThanOrEqual(1);
      const replay = await exec('intake', ['outbox-replay', '--schema', 'intake', '--since', since]);
      expect({ status: replay.status, stderr: replay.stderr }).toEqual({ status: 0, stderr: '' });
      expect(replay.stdout).toMatch(/^re-queued [1-9]\d* outbox row\(s\) of schema intake[^\n]*\npublished \d+ row\(s\); the broker already had \d+ of them\n$/);
      await expectEventually(async () => expect(await unpublished(replayStarted)).toBe(0), { timeoutMs: 30_000, intervalMs: 250 });
    }, 120_000);
  });
});

/**
 * nats-server with deploy/compose/nats.conf and the permissions it includes (its store moved to
 * a temporary directory), its users' passwords from init-env.sh's secrets: the services below
 * run under their own users, as compose runs them. If it exits, its own words say why (it once
 * did: a generated password nats.conf could not parse).
 */
async function startComposeNats(dir: string, secrets: Record<string, string>): Promise<{ url: string; monitor: string; process: ChildProcess }> {
  const binary = natsServerBinary();
  if (!binary) throw new Error('nats-server not found: install it (apt-get install nats-server) or set NATS_SERVER_BIN');
  const conf = readFileSync(join(REPO_ROOT, 'deploy', 'compose', 'nats.conf'), 'utf8');
  const storeDir = join(dir, 'nats-data');
  const confFile = join(dir, 'nats.conf');
  writeFileSync(confFile, conf.replace(/store_dir:\s*\S+/, `store_dir: ${JSON.stringify(storeDir)}`));
  copyFileSync(join(REPO_ROOT, 'deploy', 'kubernetes', 'base', 'nats', 'permissions.conf'), join(dir, 'permissions.conf'));
  const passwords = Object.fromEntries(Object.entries(secrets).filter(([name]) => name.startsWith('NATS_PASSWORD_')));
  const port = await freePort();
  // freePort releases the port it found, so a second call may hand out the same one.
  let monitorPort = await freePort();
  while (monitorPort === port) monitorPort = await freePort();
  const child = spawn(binary, ['-c', confFile, '-a', '127.0.0.1', '-p', String(port), '-m', String(monitorPort)], {
    env: { PATH: process.env['PATH'] ?? '', ...passwords },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const monitor = `http://127.0.0.1:${monitorPort}`;
  await expectEventually(async () => {
    if (child.exitCode !== null) throw new Error(`nats-server with deploy/compose/nats.conf exited (${child.exitCode}): ${stderr.trim()}`);
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

/** Runs node with arguments, feeding `input` to its standard input; never throws on a failing status. */
function runNode(args: string[], options: { cwd: string; env: Record<string, string>; input?: string | undefined }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
