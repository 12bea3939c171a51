import { useQuery } from '@tanstack/react-query';
import { readReport, type ReportDetail } from '../api/intake';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge, PriorityBadge, TrackingBadge } from '../ui/badges';
import { jurisdictionName } from '../ui/jurisdiction';
import { ASSET_LABELS, CATEGORY_LABELS, OBSERVABLE_LABELS, TRACKING_STATUS_LABELS } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { formatTime } from '../ui/time';
import { AddInformation } from './add-information';
import { REPORT_REFRESH_MS } from './my-reports-page';

/** One report as its official follows it: status, its history, what was sent, and adding to it. */
export function ReportPage({ id }: { id: string }) {
  const { token } = useSignedIn();
  const report = useQuery({ queryKey: ['reports', 'one', id], queryFn: () => readReport(token, id), refetchInterval: REPORT_REFRESH_MS });
  const data = report.data;
  return (
    <main id="main" tabIndex={-1} className="page narrow">
      <QueryState isPending={report.isPending} error={report.error} what="report" />
      {data && (
        <>
          <h1>{data.title}</h1>
          <p className="card-facts">
            <ExerciseBadge exercise={data.exercise} /> <span className="reference">{data.reference}</span> · {CATEGORY_LABELS[data.category]} · {jurisdictionName(data.jurisdiction)}
          </p>
          <section aria-labelledby="status-title" className="panel">
            <h2 id="status-title">Where it stands</h2>
            <p className="status-line" aria-live="polite">
              Status: <TrackingBadge status={data.status} /> Priority: <PriorityBadge level={data.priority} />
            </p>
            <ol className="history">
              {data.history.map((change) => (
                <li key={`${change.status}-${change.at}`}>
                  {TRACKING_STATUS_LABELS[change.status]} <span className="muted">{formatTime(change.at)}</span>
                </li>
              ))}
            </ol>
          </section>
          <section aria-labelledby="sent-title" className="panel">
            <h2 id="sent-title">What you reported</h2>
            <p className="pre">{data.description}</p>
            {data.affectedAssets.length > 0 && <p>Affected: {data.affectedAssets.map((asset) => ASSET_LABELS[asset]).join(', ')}</p>}
            {data.observables.length > 0 && (
              <ul>
                {data.observables.map((o) => (
                  <li key={`${o.type}:${o.value}`}>
                    {OBSERVABLE_LABELS[o.type]}: <code>{o.value}</code>
                  </li>
                ))}
              </ul>
            )}
            {data.updates.length > 0 && (
              <>
                <h3>Added later</h3>
                <ul>
                  {data.updates.map((update) => (
                    <li key={update.id}>
                      {updateWords(update)} <span className="muted">{formatTime(update.receivedAt)}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          <AddInformation key={data.id} report={data} />
        </>
      )}
    </main>
  );
}

/** One update in words: its note, then what it added or changed. */
function updateWords(update: ReportDetail['updates'][number]): string {
  const parts = [update.note ?? ''];
  if (update.observables?.length) parts.push(`Clues: ${update.observables.map((o) => `${OBSERVABLE_LABELS[o.type]} ${o.value}`).join(', ')}.`);
  if (update.affectedAssets?.length) parts.push(`Also affected: ${update.affectedAssets.map((asset) => ASSET_LABELS[asset]).join(', ')}.`);
  if (update.impacts && Object.keys(update.impacts).length > 0) parts.push('Impact changed.');
  return parts.filter(Boolean).join(' ') || 'New details';
}
