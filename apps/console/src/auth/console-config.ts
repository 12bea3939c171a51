/**
 * How this deployment signs people in, read at start from `/config.json` beside the app, so one
 * build serves every deployment: the dev server answers `development`, the production server
 * (apps/console/server) the identity provider its environment names.
 */
export type ConsoleConfig = { signIn: 'development' } | OidcConfig;

/** OpenID Connect: authorization code with PKCE at `issuer`, as the public client `clientId`. */
export interface OidcConfig {
  signIn: 'oidc';
  issuer: string;
  clientId: string;
  /** Space-separated; always holds `openid`. */
  scope: string;
  /** RFC 8707 resource indicator of the services' APIs, for IdPs that mint per-resource tokens. */
  resource?: string;
}

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** The configuration in `body`; throws, naming the field, when it is not one. */
export function parseConsoleConfig(body: unknown): ConsoleConfig {
  const config = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (config['signIn'] === 'development') return { signIn: 'development' };
  if (config['signIn'] !== 'oidc') throw new Error('config.json: signIn must be "development" or "oidc"');
  for (const field of ['issuer', 'clientId', 'scope'] as const) {
    if (!isText(config[field])) throw new Error(`config.json: ${field} is required with signIn "oidc"`);
  }
  const scope = String(config['scope']);
  if (!scope.split(' ').includes('openid')) throw new Error('config.json: scope must include openid');
  const resource = config['resource'];
  if (resource !== undefined && !isText(resource)) throw new Error('config.json: resource must be a non-empty string');
  return { signIn: 'oidc', issuer: String(config['issuer']), clientId: String(config['clientId']), scope, ...(resource ? { resource } : {}) };
}

/** Reads `/config.json`; without it the console cannot know how to sign anyone in, and says so. */
export async function loadConsoleConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return parseConsoleConfig(await response.json());
}
