import type { ReactNode } from 'react';
import { useSession } from '../session/session-context';
import { jurisdictionName } from './jurisdiction';
import { Link, useLocation } from './router';

const NAV: Array<{ to: string; label: string; roles: string[] }> = [
  { to: '/report', label: 'Report an incident', roles: ['official', 'automation'] },
  { to: '/reports', label: 'My reports', roles: ['official', 'automation'] },
  { to: '/queue', label: 'Queue', roles: ['triage'] },
];

/** The frame of every page: skip link, who is signed in, the pages of their role. */
export function Layout({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const { path, navigate } = useLocation();
  const roles = session?.claims.roles ?? [];
  const links = NAV.filter((item) => item.roles.some((role) => roles.includes(role as never)));
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Watchfloor</span>
        {links.length > 0 && (
          <nav aria-label="Pages">
            <ul>
              {links.map((item) => (
                <li key={item.to}>
                  <Link to={item.to} aria-current={path === item.to || path.startsWith(`${item.to}/`) ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        )}
        {session && (
          <div className="who">
            <span>
              {session.claims.name}
              <span className="who-scope"> · {jurisdictionName(session.claims.jurisdiction)}</span>
            </span>
            <button
              type="button"
              className="link-button"
              onClick={() => {
                signOut();
                navigate('/');
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </header>
      {children}
    </>
  );
}
