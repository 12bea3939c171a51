import * as oauth from 'oauth4webapi';
import type { OidcConfig } from './console-config';

/** Where the identity provider sends the browser back with the code (served by the SPA fallback). */
export const CALLBACK_PATH = '/signed-in';

// What must survive the trip to the identity provider and back (the page unloads): one
// transaction, never a token. sessionStorage keeps it to this tab.
const TRANSACTION_KEY = 'watchfloor.oidc.transaction';

interface Transaction {
  codeVerifier: string;
  state: string;
  nonce: string;
  /** The console page to come back to. */
  returnTo: string;
}

/** What a completed sign-in gives: the access token for the services, and the ID token for signing out. */
export interface OidcTokens {
  accessToken: string;
  idToken: string;
  /** When the access token expires (ms since the epoch), from the token response. */
  expiresAt?: number;
  returnTo: string;
}

// Plain http only to an identity provider on this machine (a developer's, the tests'); a
// deployment's is https, which oauth4webapi requires unless told otherwise.
const httpOptions = (config: OidcConfig) => {
  const { hostname } = new URL(config.issuer);
  return { [oauth.allowInsecureRequests]: ['127.0.0.1', 'localhost', '[::1]'].includes(hostname) };
};

const clientOf = (config: OidcConfig): oauth.Client => ({ client_id: config.clientId });
const redirectUri = () => `${window.location.origin}${CALLBACK_PATH}`;

let discovered: Promise<oauth.AuthorizationServer> | undefined;

/** The identity provider's metadata (`/.well-known/openid-configuration`), read once per page. */
function authorizationServer(config: OidcConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  discovered ??= oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...httpOptions(config) }).then((response) => oauth.processDiscoveryResponse(issuer, response));
  discovered.catch(() => (discovered = undefined));
  return discovered;
}

/** Sends the browser to the identity provider: authorization code, PKCE (S256), state and nonce. */
export async function startSignIn(config: OidcConfig, returnTo: string): Promise<void> {
  const as = await authorizationServer(config);
  if (!as.authorization_endpoint) throw new Error('The identity provider has no authorization endpoint');
  const transaction: Transaction = {
    codeVerifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    returnTo,
  };
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    response_type: 'code',
    scope: config.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(transaction.codeVerifier),
    code_challenge_method: 'S256',
    state: transaction.state,
    nonce: transaction.nonce,
    ...(config.resource ? { resource: config.resource } : {}),
  }).toString();
  window.sessionStorage.setItem(TRANSACTION_KEY, JSON.stringify(transaction));
  window.location.assign(url.href);
}

/** Whether this page load is the identity provider sending the browser back. */
export function isCallback(location: Location): boolean {
  return location.pathname === CALLBACK_PATH;
}

/**
 * Completes a sign-in on the callback page: the state must be this tab's, the code is exchanged
 * with the PKCE verifier, and the ID token's issuer, audience, expiry and nonce are checked.
 * The transaction is spent either way (a code is good once).
 */
export async function finishSignIn(config: OidcConfig, callbackUrl: URL): Promise<OidcTokens> {
  const stored = window.sessionStorage.getItem(TRANSACTION_KEY);
  window.sessionStorage.removeItem(TRANSACTION_KEY);
  if (!stored) throw new Error('This sign-in was not started in this tab; start again.');
  const transaction = JSON.parse(stored) as Transaction;
  const as = await authorizationServer(config);
  const client = clientOf(config);
  const parameters = oauth.validateAuthResponse(as, client, callbackUrl, transaction.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), parameters, redirectUri(), transaction.codeVerifier, {
    ...httpOptions(config),
    ...(config.resource ? { additionalParameters: { resource: config.resource } } : {}),
  });
  const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: transaction.nonce, requireIdToken: true });
  return {
    accessToken: result.access_token,
    idToken: result.id_token ?? '',
    ...(result.expires_in !== undefined ? { expiresAt: Date.now() + result.expires_in * 1000 } : {}),
    returnTo: transaction.returnTo,
  };
}

/** The identity provider's sign-out page (RP-initiated logout), or undefined when it has none. */
export async function signOutUrl(config: OidcConfig, idToken: string): Promise<string | undefined> {
  const as = await authorizationServer(config).catch(() => undefined);
  if (!as?.end_session_endpoint) return undefined;
  const url = new URL(as.end_session_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    post_logout_redirect_uri: `${window.location.origin}/`,
    ...(idToken ? { id_token_hint: idToken } : {}),
  }).toString();
  return url.href;
}
