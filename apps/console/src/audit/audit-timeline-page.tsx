import { useInfiniteQuery } from '@tanstack/react-query';
import { readTimeline } from '../api/audit';
import { useSignedIn } from '../session/session-context';
import { mayUse, PAGE_ROLES } from '../ui/access';
import { ExerciseBadge } from '../ui/badges';
import { eventTypeWords } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { formatClock } from '../ui/time';
import { reportOf } from './audit-page';

const shortHash = (hash: string) => `${hash.slice(0, 12)}…`;

/** An incident's recorded timeline: every entry of the chain that names it, in chain order, with its hashes. */
export function AuditTimelinePage({ id }: { id: string }) {
  const { token, claims } = useSignedIn();
  const timeline = useInfiniteQuery({
    queryKey: ['audit-timeline', id],
    queryFn: ({ pageParam }) => readTimeline(token, id, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const entries = timeline.data?.pages.flatMap((page) => page.items) ?? [];
  const reported = entries.find((entry) => entry.type === 'watchfloor.incident.reported.v1');
  const { reference, title } = reported ? reportOf(reported) : {};
  const auditor = mayUse(claims.roles, PAGE_ROLES.audit);
  return (
    <main id="main" tabIndex={-1} className="page">
      <p>{auditor ? <Link to="/audit">← Back to the audit record</Link> : <Link to={`/queue/${id}`}>← Back to the incident</Link>}</p>
      <h1>Recorded timeline{title ? `: ${title}` : ''}</h1>
      <p className="lead">
        {reference ? `${reference} · ` : ''}incident <code>{id}</code>. Every event the audit log holds for it, in chain order: its own events, the
        notifications sent about it and the clusters it joined.
      </p>
      <QueryState isPending={timeline.isPending} error={timeline.error} what="recorded timeline" />
      {entries.length > 0 && (
        <div className="table-scroll" role="region" aria-label="Recorded entries" tabIndex={0}>
          <table className="ledger">
            <caption className="visually-hidden">Audit entries of this incident, in chain order</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Event</th>
                <th scope="col">By</th>
                <th scope="col">Occurred</th>
                <th scope="col">Recorded</th>
                <th scope="col">TLP</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.sequence}>
                  <td>{entry.sequence}</td>
                  <td>
                    {eventTypeWords(entry.type)}
                    {entry.withheld && <span className="muted"> (content withheld: above your clearance)</span>} <ExerciseBadge exercise={entry.exercise} />
                  </td>
                  <td>{entry.actor ?? '—'}</td>
                  <td>{formatClock(entry.occurredAt)}</td>
                  <td>{formatClock(entry.recordedAt)}</td>
                  <td>{entry.tlp.toUpperCase()}</td>
                  <td>
                    <code title={entry.hash}>{shortHash(entry.hash)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {timeline.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void timeline.fetchNextPage()} disabled={timeline.isFetchingNextPage}>
          Show more
        </button>
      )}
    </main>
  );
}
