import { useQuery } from '@tanstack/react-query';
import { listReports } from '../api/intake';
import { useSignedIn } from '../session/session-context';
import { PriorityBadge, TrackingBadge } from '../ui/badges';
import { jurisdictionName } from '../ui/jurisdiction';
import { CATEGORY_LABELS } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { formatTime } from '../ui/time';

/** How often an official's lists are read again: status changes are minutes apart, not seconds. */
export const REPORT_REFRESH_MS = 5_000;

/** The reports of the official's jurisdiction, newest first, with where triage has got to. */
export function MyReportsPage() {
  const { token, claims } = useSignedIn();
  const reports = useQuery({ queryKey: ['reports', claims.sub], queryFn: () => listReports(token), refetchInterval: REPORT_REFRESH_MS });
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>My reports</h1>
      <p className="lead">Reports of {jurisdictionName(claims.jurisdiction)}, newest first. Their status updates by itself.</p>
      <QueryState isPending={reports.isPending} error={reports.error} what="reports" />
      {reports.data && reports.data.items.length === 0 && (
        <p>
          No reports yet. <Link to="/report">Report an incident</Link>.
        </p>
      )}
      <ul className="cards" aria-label="Reports">
        {reports.data?.items.map((report) => (
          <li key={report.id} className="card">
            <h2 className="card-title">
              <Link to={`/reports/${report.id}`}>{report.title}</Link>
            </h2>
            <p className="card-facts">
              <span className="reference">{report.reference}</span> · <TrackingBadge status={report.status} /> <PriorityBadge level={report.priority} />
            </p>
            <p className="card-facts">
              {CATEGORY_LABELS[report.category]} · {jurisdictionName(report.jurisdiction)} · received {formatTime(report.receivedAt)}
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}
