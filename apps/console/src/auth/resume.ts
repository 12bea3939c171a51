import { readClaims, type Session } from '../session/session';
import type { ConsoleConfig, OidcConfig } from './console-config';
import { finishSignIn, isCallback, startSignIn } from './oidc';

// Set while this tab is signed in with the identity provider. Not a secret: it only says that
// a reload should fetch a new token at once (the identity provider's own session answers
// without a form) instead of showing the sign-in page.
const SIGNED_IN_KEY = 'watchfloor.oidc.signedIn';

/** What the app starts with: a session, or a notice for the sign-in page. */
export interface Start {
  session?: Session;
  notice?: string;
}

/**
 * Before the app renders: completes a sign-in when the identity provider has just sent the
 * browser back, or, after a reload of a signed-in tab, goes for a new token (resolving to
 * `'redirecting'`). Tokens are never stored; they live in this page's memory.
 */
export async function resumeSession(config: ConsoleConfig): Promise<Start | 'redirecting'> {
  if (config.signIn !== 'oidc') return {};
  if (isCallback(window.location)) return completeSignIn(config);
  if (window.sessionStorage.getItem(SIGNED_IN_KEY)) {
    try {
      await startSignIn(config, `${window.location.pathname}${window.location.search}`);
      return 'redirecting';
    } catch (error) {
      window.sessionStorage.removeItem(SIGNED_IN_KEY);
      return { notice: `Could not reach the identity provider: ${(error as Error).message}` };
    }
  }
  return {};
}

async function completeSignIn(config: OidcConfig): Promise<Start> {
  try {
    const tokens = await finishSignIn(config, new URL(window.location.href));
    const claims = readClaims(tokens.accessToken);
    window.history.replaceState(null, '', tokens.returnTo);
    if (!claims) {
      return { notice: "The identity provider's access token does not carry the claims Watchfloor needs (sub, roles, jurisdiction). Ask your administrator." };
    }
    window.sessionStorage.setItem(SIGNED_IN_KEY, 'true');
    return { session: { token: tokens.accessToken, claims, idToken: tokens.idToken, ...(tokens.expiresAt ? { expiresAt: tokens.expiresAt } : {}) } };
  } catch (error) {
    window.sessionStorage.removeItem(SIGNED_IN_KEY);
    window.history.replaceState(null, '', '/');
    return { notice: `Sign-in did not complete: ${(error as Error).message}` };
  }
}

/** Forgets that this tab was signed in (signing out). */
export function forgetSignIn(): void {
  window.sessionStorage.removeItem(SIGNED_IN_KEY);
}
