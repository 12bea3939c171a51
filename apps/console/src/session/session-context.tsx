import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ConsoleConfig } from '../auth/console-config';
import { signOutUrl, startSignIn } from '../auth/oidc';
import { forgetSignIn, type Start } from '../auth/resume';
import { dropAllDrafts } from '../drafts/kept-drafts';
import { formatTime } from '../ui/time';
import { clearSession, loadSession, saveSession, sessionEnd, type Session } from './session';

interface SessionState {
  /** How this deployment signs people in (`/config.json`). */
  config: ConsoleConfig;
  session: Session | undefined;
  /** Why nobody is signed in now (the last sign-in expired, or failed), for the sign-in page. */
  notice: string | undefined;
  /** Development sign-in: with one of the tokens `npm start` minted. */
  signIn(token: string): Session | undefined;
  /** OpenID Connect: off to the identity provider, back to `returnTo` once signed in. */
  startSignIn(returnTo: string): Promise<void>;
  /** The person leaves: the session ends here and, with OpenID Connect, at the identity provider. */
  signOut(): void;
  /** The token is no longer good (it ran out, or a service answered 401): sign in again. */
  expire(): void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

// setTimeout holds at most 2^31 - 1 ms (~24.8 days); a later end is checked again then.
const MAX_TIMER_MS = 2_147_483_647;

export function SessionProvider({ config, start, children }: { config: ConsoleConfig; start: Start; children: ReactNode }) {
  // Development sessions live in the tab's sessionStorage (two tabs, two people); OpenID
  // Connect ones only in this page's memory (docs/console.md, "Sign-in").
  const [session, setSession] = useState(() => (config.signIn === 'development' ? loadSession(window.sessionStorage, Date.now()) : start.session));
  const [notice, setNotice] = useState(start.notice);
  // The session as of the last render, for the callbacks below (kept stable for the pages).
  const current = useRef(session);
  useEffect(() => {
    current.current = session;
  }, [session]);

  const signIn = useCallback((token: string) => {
    const next = saveSession(window.sessionStorage, token);
    setSession(next);
    setNotice(undefined);
    return next;
  }, []);
  const expire = useCallback(() => {
    const end = current.current && sessionEnd(current.current);
    clearSession(window.sessionStorage);
    setSession(undefined);
    setNotice(`Your sign-in expired${end ? ` at ${formatTime(new Date(Math.min(end, Date.now())).toISOString())}` : ''}. Sign in again to go on.`);
  }, []);
  const signOut = useCallback(() => {
    const leaving = current.current;
    clearSession(window.sessionStorage);
    forgetSignIn();
    // What was typed stays across an expiry (the same person signs in again), not a sign-out.
    dropAllDrafts(window.sessionStorage);
    setSession(undefined);
    setNotice(undefined);
    if (config.signIn === 'oidc' && leaving) {
      void signOutUrl(config, leaving.idToken ?? '').then((url) => url && window.location.assign(url));
    }
  }, [config]);
  const startOidcSignIn = useCallback(
    async (returnTo: string) => {
      if (config.signIn !== 'oidc') return;
      try {
        await startSignIn(config, returnTo);
      } catch (error) {
        setNotice(`Could not reach the identity provider: ${(error as Error).message}`);
      }
    },
    [config],
  );

  // When the token runs out the session ends: the page turns into the sign-in page, which
  // brings the person back here.
  useEffect(() => {
    const end = session && sessionEnd(session);
    if (end === undefined) return;
    // Past the longest timer, a copy of the session sets the next one.
    const timer = setTimeout(() => (Date.now() >= end ? expire() : setSession((now) => now && { ...now })), Math.min(Math.max(end - Date.now(), 0), MAX_TIMER_MS));
    return () => clearTimeout(timer);
  }, [session, expire]);

  const value = useMemo(
    () => ({ config, session, notice, signIn, startSignIn: startOidcSignIn, signOut, expire }),
    [config, session, notice, signIn, startOidcSignIn, signOut, expire],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside the SessionProvider');
  return state;
}

/** The signed-in session; only for pages shown to a signed-in caller. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn outside a signed-in page');
  return session;
}
