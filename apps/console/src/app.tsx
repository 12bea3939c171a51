import type { Role } from '@watchfloor/contracts';
import { useEffect, useRef, type ReactNode } from 'react';
import { ExercisesPage } from './admin/exercises-page';
import { RotationPage } from './admin/rotation-page';
import { AuditPage } from './audit/audit-page';
import { AuditTimelinePage } from './audit/audit-timeline-page';
import { CampaignPage } from './campaigns/campaign-page';
import { CampaignsPage } from './campaigns/campaigns-page';
import { DeliveriesPage } from './deliveries/deliveries-page';
import { IncidentPage } from './incident/incident-page';
import { OnCallPage } from './oncall/oncall-page';
import { QueuePage } from './queue/queue-page';
import { ReportForm } from './report/report-form';
import { MyReportsPage } from './reports/my-reports-page';
import { ReportPage } from './reports/report-page';
import { homeOf } from './session/session';
import { useSession } from './session/session-context';
import { SignInPage } from './session/sign-in-page';
import { SubscriptionsPage } from './subscriptions/subscriptions-page';
import { mayUse, PAGE_ROLES } from './ui/access';
import { Layout } from './ui/layout';
import { matchPath, useLocation } from './ui/router';

/** Each page, the roles that may open it, and its title. */
const PAGES: Array<{ pattern: string; roles: readonly Role[]; title: string; render(params: Record<string, string>): ReactNode }> = [
  { pattern: '/report', roles: PAGE_ROLES.reports, title: 'Report an incident', render: () => <ReportForm /> },
  { pattern: '/reports', roles: PAGE_ROLES.reports, title: 'My reports', render: () => <MyReportsPage /> },
  { pattern: '/reports/:id', roles: PAGE_ROLES.reports, title: 'Report', render: ({ id = '' }) => <ReportPage id={id} /> },
  { pattern: '/queue', roles: PAGE_ROLES.triage, title: 'Queue', render: () => <QueuePage /> },
  { pattern: '/queue/:id', roles: PAGE_ROLES.triage, title: 'Incident', render: ({ id = '' }) => <IncidentPage id={id} /> },
  { pattern: '/campaigns', roles: PAGE_ROLES.triage, title: 'Campaigns', render: () => <CampaignsPage /> },
  { pattern: '/campaigns/:id', roles: PAGE_ROLES.triage, title: 'Campaign', render: ({ id = '' }) => <CampaignPage id={id} /> },
  { pattern: '/oncall', roles: PAGE_ROLES.triage, title: 'On call', render: () => <OnCallPage /> },
  { pattern: '/subscriptions', roles: PAGE_ROLES.subscriptions, title: 'My subscriptions', render: () => <SubscriptionsPage /> },
  { pattern: '/deliveries', roles: PAGE_ROLES.subscriptions, title: 'Deliveries', render: () => <DeliveriesPage /> },
  { pattern: '/audit', roles: PAGE_ROLES.audit, title: 'Audit record', render: () => <AuditPage /> },
  { pattern: '/rotation', roles: PAGE_ROLES.admin, title: 'Edit the on-call rotation', render: () => <RotationPage /> },
  { pattern: '/exercises', roles: PAGE_ROLES.admin, title: 'Exercises', render: () => <ExercisesPage /> },
  { pattern: '/audit/incidents/:id', roles: PAGE_ROLES.auditTimeline, title: 'Recorded timeline', render: ({ id = '' }) => <AuditTimelinePage id={id} /> },
];

export function App() {
  const { session } = useSession();
  const { path, navigate } = useLocation();
  const match = PAGES.map((page) => ({ page, params: matchPath(page.pattern, path) })).find((m) => m.params);
  const allowed = !!session && !!match && mayUse(session.claims.roles, match.page.roles);

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
        <h1>Not a page for your role</h1>
        <p>This page is not one your role may use; the menu above lists yours.</p>
      </main>
    );
  return <Layout>{content}</Layout>;
}
