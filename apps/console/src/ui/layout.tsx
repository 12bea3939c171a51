import type { Role } from '@watchfloor/contracts';
import type { ReactNode } from 'react';
import { useSession } from '../session/session-context';
import { mayUse, PAGE_ROLES } from './access';
import { jurisdictionName } from './jurisdiction';
import { Link, useLocation } from './router';

/** The pages of the menu, each shown only to the roles that may use it. */
const NAV: Array<{ to: string; label: string; roles: readonly Role[] }> = [
  { to: '/report', label: 'Report an incident', roles: PAGE_ROLES.reports },
  { to: '/reports', label: 'My reports', roles: PAGE_ROLES.reports },
  { to: '/queue', label: 'Queue', roles: PAGE_ROLES.triage },
  { to: '/campaigns', label: 'Campaigns', roles: PAGE_ROLES.triage },
  { to: '/oncall', label: 'On call', roles: PAGE_ROLES.triage },
  { to: '/subscriptions', label: 'Subscriptions', roles: PAGE_ROLES.subscriptions },
  { to: '/deliveries', label: 'Deliveries', roles: PAGE_ROLES.subscriptions },
  { to: '/audit', label: 'Audit record', roles: PAGE_ROLES.audit },
  { to: '/rotation', label: 'Edit rotation', roles: PAGE_ROLES.admin },
  { to: '/exercises', label: 'Exercises', roles: PAGE_ROLES.admin },
];

/** The frame of every page: skip link, who is signed in, the pages of their role. */
export function Layout({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const { path, navigate } = useLocation();
  const roles = session?.claims.roles ?? [];
  const links = NAV.filter((item) => mayUse(roles, item.roles));
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
