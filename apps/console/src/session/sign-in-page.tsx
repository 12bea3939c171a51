import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role } from '@watchfloor/contracts';
import { hasKeptDrafts } from '../drafts/kept-drafts';
import { jurisdictionName } from '../ui/jurisdiction';
import { useLocation } from '../ui/router';
import { homeOf, readClaims, type Persona } from './session';
import { useSession } from './session-context';

const ROLE_WORDS: Record<Role, string> = {
  official: 'Report incidents and follow them',
  automation: 'A machine client that reports incidents',
  triage: 'Work the queue: acknowledge, assign, resolve',
  partner: 'Subscribe webhooks to incidents; follow and retry deliveries',
  auditor: 'The audit record: timelines, verify the chain, export',
  admin: 'Operators of the deployment: every page',
};

async function fetchPersonas(): Promise<Persona[]> {
  const response = await fetch('/dev/personas');
  if (!response.ok) return [];
  return ((await response.json()) as Persona[]).filter((persona) => readClaims(persona.token));
}

/** The sign-in page of this deployment's mode, with why the last session ended if it did. */
export function SignInPage() {
  const { config, notice } = useSession();
  return (
    <main id="main" tabIndex={-1} className="page narrow">
      <h1>Sign in</h1>
      {notice && <p role="alert">{notice}</p>}
      {hasKeptDrafts(window.sessionStorage) && <p>What you had typed is kept in this tab: it is back in its form once you have signed in.</p>}
      {config.signIn === 'oidc' ? <OidcSignIn /> : <DevelopmentSignIn />}
    </main>
  );
}

/** OpenID Connect: the organisation's identity provider, then back to the page asked for. */
function OidcSignIn() {
  const { startSignIn } = useSession();
  const { path } = useLocation();
  const [leaving, setLeaving] = useState(false);
  return (
    <>
      <p>Sign in with your organisation&apos;s account. You come back to this page afterwards.</p>
      <button
        type="button"
        className="primary"
        disabled={leaving}
        onClick={() => {
          setLeaving(true);
          void startSignIn(path).finally(() => setLeaving(false));
        }}
      >
        {leaving ? 'Going to your identity provider…' : 'Sign in with your organisation'}
      </button>
    </>
  );
}

/** Development sign-in: pick one of the roles `npm start` minted a token for. */
function DevelopmentSignIn() {
  const { signIn } = useSession();
  const { navigate } = useLocation();
  const personas = useQuery({ queryKey: ['dev-personas'], queryFn: fetchPersonas, staleTime: Infinity });
  return (
    <>
      <p>
        This is the development sign-in of <code>npm start</code>: choose who you are. In production the console signs you in with your
        organisation&apos;s identity provider.
      </p>
      {personas.isPending && <p role="status">Loading the development accounts…</p>}
      {personas.data && personas.data.length === 0 && (
        <p role="alert">No development accounts: open the console from <code>npm start</code>, which mints one per role.</p>
      )}
      <ul className="personas">
        {personas.data?.map((persona) => {
          const claims = readClaims(persona.token);
          if (!claims) return null;
          return (
            <li key={persona.role}>
              <button
                type="button"
                className="persona"
                onClick={() => {
                  const session = signIn(persona.token);
                  if (session) navigate(homeOf(session.claims));
                }}
              >
                <span className="persona-name">
                  {claims.name} <span className="badge">{persona.role}</span>
                </span>
                <span className="persona-detail">
                  {ROLE_WORDS[persona.role]} · {jurisdictionName(claims.jurisdiction)} · clearance {claims.clearance.toUpperCase()}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
