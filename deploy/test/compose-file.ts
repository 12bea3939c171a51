// docker-compose.yml read the way Compose reads it: YAML with merge keys (`<<: *anchor`),
// then `${VAR}`, `${VAR:-default}`, `${VAR:?message}` and `$$` interpolated from an env.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..');
export const COMPOSE_FILE = join(REPO_ROOT, 'docker-compose.yml');

export interface ComposeHealthcheck {
  test: string[] | string;
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
}

export interface ComposeService {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[] | string;
  profiles?: string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  env_file?: string | string[];
  ports?: Array<string | { target: number; published?: string | number; host_ip?: string }>;
  volumes?: Array<string | { type: string; source?: string; target: string; read_only?: boolean }>;
  healthcheck?: ComposeHealthcheck;
  depends_on?: string[] | Record<string, { condition?: string }>;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, unknown>;
  secrets?: Record<string, { file?: string }>;
  configs?: Record<string, { file?: string }>;
}

/** The file as YAML data, anchors merged, nothing interpolated (what the JSON schema sees). */
export function readComposeRaw(file = COMPOSE_FILE): unknown {
  return parse(readFileSync(file, 'utf8'), { merge: true });
}

/** The file with every string interpolated from `env`; throws what Compose would for `:?`. */
export function readCompose(env: Record<string, string>, file = COMPOSE_FILE): ComposeFile {
  return interpolateDeep(readComposeRaw(file), env) as ComposeFile;
}

export function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (match, braced?: string, operator?: string, argument?: string, bare?: string) => {
    if (match === '$$') return '$';
    const name = (braced ?? bare) as string;
    const value = env[name];
    const unset = operator?.startsWith(':') ? value === undefined || value === '' : value === undefined;
    if (operator?.endsWith('-')) return unset ? (argument ?? '') : (value as string);
    if (operator?.endsWith('?')) {
      if (unset) throw new Error(`required variable ${name} is missing a value: ${argument}`);
      return value as string;
    }
    return value ?? '';
  });
}

function interpolateDeep(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === 'string') return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, env));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, env)]));
  }
  return value;
}

/** A service's environment as the container sees it: strings, `KEY=value` lists expanded. */
export function serviceEnvironment(service: ComposeService): Record<string, string> {
  const entries = Array.isArray(service.environment)
    ? service.environment.map((item) => {
        const at = item.indexOf('=');
        return at < 0 ? [item, ''] : [item.slice(0, at), item.slice(at + 1)];
      })
    : Object.entries(service.environment ?? {}).map(([name, value]) => [name, value === null ? '' : String(value)]);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** `KEY=value` lines of an env file (comments and blank lines skipped), as Compose reads .env. */
export function parseEnvFile(text: string): Record<string, string> {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  return Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
}

/** Bind mounts of a service (short or long syntax): host source and container target. */
export function bindMounts(service: ComposeService): Array<{ source: string; target: string }> {
  return (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume === 'string') {
      const [source, target] = volume.split(':');
      return source.startsWith('.') || source.startsWith('/') ? [{ source, target }] : [];
    }
    return volume.type === 'bind' && volume.source ? [{ source: volume.source, target: volume.target }] : [];
  });
}

/** Named volumes a service mounts: volume name and container target. */
export function namedVolumes(service: ComposeService): Array<{ name: string; target: string }> {
  return (service.volumes ?? []).flatMap((volume) => {
    if (typeof volume === 'string') {
      const [name, target] = volume.split(':');
      return name.startsWith('.') || name.startsWith('/') ? [] : [{ name, target }];
    }
    return volume.type === 'volume' && volume.source ? [{ name: volume.source, target: volume.target }] : [];
  });
}

/** Published ports in short syntax `host_ip:published:target`. */
export function publishedPorts(service: ComposeService): Array<{ hostIp?: string; published?: string; target: number }> {
  return (service.ports ?? []).map((port) => {
    if (typeof port !== 'string') return { hostIp: port.host_ip, published: port.published?.toString(), target: port.target };
    const parts = port.replace(/\/(tcp|udp)$/, '').split(':');
    const target = Number(parts.pop());
    const published = parts.pop();
    return { hostIp: parts.pop(), published, target };
  });
}

export function dependsOn(service: ComposeService): Record<string, { condition?: string }> {
  const value = service.depends_on ?? {};
  return Array.isArray(value) ? Object.fromEntries(value.map((name) => [name, {}])) : value;
}
