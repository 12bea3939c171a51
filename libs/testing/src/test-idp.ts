import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from 'jose';
import type { CallerClaims } from './api-client';
import { aCaller } from './factories';

const IDP_SCRIPT = join(__dirname, '..', 'test-idp.mjs');
const AUDIENCE = 'watchfloor';
const RESOURCE = 'https://api.watchfloor.test';

/** A signing key of the test IdP: its private JWK (for the IdP) and key (for forged tokens). */
export interface TestSigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateJwk: JWK;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** A fresh key pair for the test IdP. */
export async function generateSigningKey(kid: string, alg: TestSigningKey['alg'] = 'RS256'): Promise<TestSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, privateJwk: { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' } };
}

/** People who may sign in at the test IdP, and how long its access tokens live. */
export interface TestIdpOptions {
  /** Each signs in with its `sub` as login (any password) and gets tokens with its claims. */
  accounts?: CallerClaims[];
  /** Lifetime of access tokens, in seconds (300 unless said). */
  accessTokenTtlSeconds?: number;
}

/** A browser app registered at the IdP: a public client (no secret) that must use PKCE. */
export interface TestPublicClient {
  clientId: string;
  redirectUri: string;
}

/** A running OpenID Provider (oidc-provider, in a process of its own) that issues Watchfloor access tokens. */
export interface TestIdp {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** The resource indicator (RFC 8707) of Watchfloor's APIs, and `watchfloor` its scope. */
  resource: string;
  /** `AUTH_*` variables of a service that verifies this IdP's tokens. */
  authEnv: Record<string, string>;
  /** An access token for a caller with these claims, through registration and the client_credentials grant. */
  token(claims?: CallerClaims): Promise<string>;
  /** Registers a browser app for the authorization code flow with PKCE, redirected back to `redirectUri`. */
  registerPublicClient(redirectUri: string, postLogoutRedirectUri: string): Promise<TestPublicClient>;
  /** Serves this key set from now on and signs with its first key (the IdP's key rotation). */
  rotate(keys: TestSigningKey[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the IdP with `keys` (signing with the first); ready in well under a second. */
export async function startTestIdp(keys: TestSigningKey[], options: TestIdpOptions = {}): Promise<TestIdp> {
  const accounts = Object.fromEntries((options.accounts ?? []).map((claims) => aCaller(claims)).map(({ sub, ...claims }) => [sub, claims]));
  const child = fork(IDP_SCRIPT, [], {
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      WF_IDP_AUDIENCE: AUDIENCE,
      WF_IDP_RESOURCE: RESOURCE,
      WF_IDP_ACCOUNTS: JSON.stringify(accounts),
      WF_IDP_ACCESS_TOKEN_TTL: String(options.accessTokenTtlSeconds ?? 300),
    },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = `${stderr}${chunk.toString()}`.slice(-4000)));
  const port = (await nextMessage(child, 'listening', () => stderr)).port as number;
  const issuer = `http://127.0.0.1:${port}`;
  const rotate = async (next: TestSigningKey[]) => {
    if (next.length === 0) throw new Error('the IdP needs at least one key');
    const ready = nextMessage(child, 'ready', () => stderr);
    child.send({ type: 'keys', keys: next.map((key) => key.privateJwk) });
    await ready;
  };
  await rotate(keys);
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    audience: AUDIENCE,
    resource: RESOURCE,
    authEnv: { AUTH_MODE: 'jwks', AUTH_JWKS_URL: `${issuer}/jwks`, AUTH_ISSUER: issuer, AUTH_AUDIENCE: AUDIENCE },
    token: (claims) => clientCredentialsToken(issuer, claims),
    registerPublicClient: (redirectUri, postLogoutRedirectUri) => registerPublicClient(issuer, redirectUri, postLogoutRedirectUri),
    rotate,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A token signed with `key` by the test itself, with the IdP's claims changed by `overrides`
 * (and header fields by `header`): how the tests make tokens the IdP would never issue.
 */
export function forgeToken(
  key: Pick<TestSigningKey, 'privateKey' | 'kid' | 'alg'>,
  idp: Pick<TestIdp, 'issuer' | 'audience'>,
  overrides: JWTPayload = {},
  header: Record<string, unknown> = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { sub, ...claims } = aCaller();
  return new SignJWT({ sub, ...claims, iss: idp.issuer, aud: idp.audience, iat: now, exp: now + 300, ...overrides })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt', ...header })
    .sign(key.privateKey);
}

async function registerPublicClient(issuer: string, redirectUri: string, postLogoutRedirectUri: string): Promise<TestPublicClient> {
  const registration = await fetch(`${issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      application_type: 'web',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [redirectUri],
      post_logout_redirect_uris: [postLogoutRedirectUri],
      token_endpoint_auth_method: 'none',
    }),
  });
  const client = (await registration.json()) as { client_id?: string };
  if (!registration.ok || !client.client_id) throw new Error(`IdP registration failed: ${registration.status} ${JSON.stringify(client)}`);
  return { clientId: client.client_id, redirectUri };
}

async function clientCredentialsToken(issuer: string, claims?: CallerClaims): Promise<string> {
  const registration = await fetch(`${issuer}/reg`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post',
      watchfloor_claims: aCaller(claims),
    }),
  });
  const client = (await registration.json()) as { client_id?: string; client_secret?: string };
  if (!registration.ok || !client.client_id || !client.client_secret) throw new Error(`IdP registration failed: ${registration.status} ${JSON.stringify(client)}`);
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret, resource: RESOURCE }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!response.ok || !body.access_token) throw new Error(`IdP token request failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

function nextMessage(child: ChildProcess, type: string, stderr: () => string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== 'object' || message === null || (message as { type?: unknown }).type !== type) return;
      cleanup();
      resolve(message as Record<string, unknown>);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`the test IdP exited (${code}) before "${type}": ${stderr()}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}
