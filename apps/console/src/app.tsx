import { useEffect, useRef, type ReactNode } from 'react';
import { IncidentPage } from './incident/incident-page';
import { QueuePage } from './queue/queue-page';
import { ReportForm } from './report/report-form';
import { MyReportsPage } from './reports/my-reports-page';
import { ReportPage } from './reports/report-page';
import { homeOf } from './session/session';
import { useSession } from './session/session-context';
import { SignInPage } from './session/sign-in-page';
import { Layout } from './ui/layout';
import { matchPath, useLocation } from './ui/router';

/** Each page, the roles that may open it, and its title. */
const PAGES: Array<{ pattern: string; roles: string[]; title: string; render(params: Record<string, string>): ReactNode }> = [
  { pattern: '/report', roles: ['official', 'automation'], title: 'Report an incident', render: () => <ReportForm /> },
  { pattern: '/reports', roles: ['official', 'automation'], title: 'My reports', render: () => <MyReportsPage /> },
  { pattern: '/reports/:id', roles: ['official', 'automation'], title: 'Report', render: ({ id = '' }) => <ReportPage id={id} /> },
  { pattern: '/queue', roles: ['triage'], title: 'Queue', render: () => <QueuePage /> },
  { pattern: '/queue/:id', roles: ['triage'], title: 'Incident', render: ({ id = '' }) => <IncidentPage id={id} /> },
];

export function App() {
  const { session } = useSession();
  const { path, navigate } = useLocation();
  const match = PAGES.map((page) => ({ page, params: matchPath(page.pattern, path) })).find((m) => m.params);
  const allowed = !!session && !!match && match.page.roles.some((role) => session.claims.roles.includes(role as never));

  useEffect(() => {
    document.title = `${allowed && match ? match.page.title : session ? 'Watchfloor' : 'Sign in'} · Watchfloor console`;
  }, [allowed, match, session]);
  // After a page change (not the first load), the content takes the focus, as a new page's
  // would: a keyboard user goes on from there, a screen reader reads it.
  const shownPath = useRef(path);
  useEffect(() => {
    if (shownPath.current === path) return;
    shownPath.current = path;
    document.getElementById('main')?.focus();
  }, [path]);
  useEffect(() => {
    // Signed in on the sign-in page or an unknown path: go to the role's first page.
    if (session && !match && path !== '/not-yet') navigate(homeOf(session.claims));
  }, [session, match, path, navigate]);

  let content: ReactNode;
  if (!session) content = <SignInPage />;
  else if (allowed && match) content = match.page.render(match.params ?? {});
  else
    content = (
      <main id="main" tabIndex={-1} className="page narrow">
        <h1>Not in the console yet</h1>
        <p>The pages for your role (partners, auditors, administrators) are not built yet; the APIs and their OpenAPI pages are.</p>
      </main>
    );
  return <Layout>{content}</Layout>;
}
