import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { clearSession, loadSession, saveSession, type Session } from './session';

interface SessionState {
  session: Session | undefined;
  signIn(token: string): Session | undefined;
  signOut(): void;
}

const SessionContext = createContext<SessionState>({ session: undefined, signIn: () => undefined, signOut: () => undefined });

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState(() => loadSession(window.sessionStorage, Date.now()));
  const signIn = useCallback((token: string) => {
    const next = saveSession(window.sessionStorage, token);
    setSession(next);
    return next;
  }, []);
  const signOut = useCallback(() => {
    clearSession(window.sessionStorage);
    setSession(undefined);
  }, []);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

/** The signed-in session; only for pages shown to a signed-in caller. */
export function useSignedIn(): Session {
  const { session } = useSession();
  if (!session) throw new Error('useSignedIn outside a signed-in page');
  return session;
}
