// The console's production server reads its environment here and nowhere else; a wrong or
// missing variable stops it at start, named (as the services' config classes do).
import { isAbsolute } from 'node:path';

export const API_SERVICES = ['intake', 'triage', 'notification', 'audit'] as const;
export type ApiService = (typeof API_SERVICES)[number];

/** What the browser reads at `/config.json`: how to sign in (apps/console/src/auth/console-config.ts). */
export interface PublicConfig {
  signIn: 'oidc';
  issuer: string;
  clientId: string;
  scope: string;
  resource?: string;
}

export interface ConsoleServerConfig {
  host: string;
  port: number;
  /** The built console (`vite build`): index.html and assets/. */
  distDir: string;
  publicConfig: PublicConfig;
  /** Where `/api/<service>/` goes, for each service this server routes (compose); none behind an ingress that does. */
  upstreams: Partial<Record<ApiService, URL>>;
}

/** Every variable the server reads (the deployment checks refuse others). */
export const CONSOLE_VARIABLES = [
  'NODE_ENV',
  'HOST',
  'PORT',
  'CONSOLE_DIST_DIR',
  'CONSOLE_OIDC_ISSUER',
  'CONSOLE_OIDC_CLIENT_ID',
  'CONSOLE_OIDC_SCOPE',
  'CONSOLE_OIDC_RESOURCE',
  ...API_SERVICES.map(upstreamVariable),
];

export function upstreamVariable(service: ApiService): string {
  return `CONSOLE_${service.toUpperCase()}_URL`;
}

const LOOPBACK = ['127.0.0.1', 'localhost', '[::1]'];

/** The configuration `env` gives; throws one error naming every wrong variable. */
export function consoleServerConfig(env: Record<string, string | undefined>, defaultDistDir: string): ConsoleServerConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const url = (name: string, protocols: string[]): URL | undefined => {
    const value = text(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (protocols.includes(parsed.protocol)) return parsed;
    } catch {
      // said below
    }
    problems.push(`${name}: must be an ${protocols.join(' or ')} URL, not "${value}"`);
    return undefined;
  };

  const port = Number(text('PORT') ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) problems.push(`PORT: must be a port number, not "${env['PORT']}"`);

  // An identity provider is reached over https; plain http only on this machine (development, tests).
  const issuer = url('CONSOLE_OIDC_ISSUER', ['https:', 'http:']);
  if (text('CONSOLE_OIDC_ISSUER') === undefined) problems.push('CONSOLE_OIDC_ISSUER: required (the identity provider people sign in with)');
  else if (issuer?.protocol === 'http:' && !LOOPBACK.includes(issuer.hostname)) problems.push('CONSOLE_OIDC_ISSUER: must be https (http only on this machine)');
  const clientId = text('CONSOLE_OIDC_CLIENT_ID');
  if (clientId === undefined) problems.push("CONSOLE_OIDC_CLIENT_ID: required (the console's client id at the identity provider)");
  const scope = text('CONSOLE_OIDC_SCOPE') ?? 'openid';
  if (!scope.split(/\s+/).includes('openid')) problems.push(`CONSOLE_OIDC_SCOPE: must include openid, not "${scope}"`);
  const resource = text('CONSOLE_OIDC_RESOURCE');

  const upstreams: Partial<Record<ApiService, URL>> = {};
  for (const service of API_SERVICES) {
    const upstream = url(upstreamVariable(service), ['http:', 'https:']);
    if (upstream) upstreams[service] = upstream;
  }
  const distDir = text('CONSOLE_DIST_DIR') ?? defaultDistDir;
  if (!isAbsolute(distDir)) problems.push(`CONSOLE_DIST_DIR: must be an absolute path, not "${distDir}"`);

  if (problems.length > 0 || !issuer || !clientId) throw new Error(`the console's configuration is invalid:\n  ${problems.join('\n  ')}`);
  return {
    host: text('HOST') ?? '127.0.0.1',
    port,
    distDir,
    publicConfig: { signIn: 'oidc', issuer: text('CONSOLE_OIDC_ISSUER') ?? issuer.href, clientId, scope: scope.split(/\s+/).join(' '), ...(resource ? { resource } : {}) },
    upstreams,
  };
}
