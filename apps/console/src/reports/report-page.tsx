import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { addReportNote, readReport } from '../api/intake';
import { ApiProblem } from '../api/problem';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge, PriorityBadge, TrackingBadge } from '../ui/badges';
import { Field } from '../ui/field';
import { jurisdictionName } from '../ui/jurisdiction';
import { ASSET_LABELS, CATEGORY_LABELS, OBSERVABLE_LABELS, TRACKING_STATUS_LABELS } from '../ui/labels';
import { QueryState } from '../ui/query-state';
import { formatTime } from '../ui/time';
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
                      {update.note ?? 'New details'} <span className="muted">{formatTime(update.receivedAt)}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </section>
          <AddNote id={id} />
        </>
      )}
    </main>
  );
}

function AddNote({ id }: { id: string }) {
  const { token } = useSignedIn();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const add = useMutation({
    mutationFn: () => addReportNote(token, id, note),
    onSuccess: async () => {
      setNote('');
      await queryClient.invalidateQueries({ queryKey: ['reports', 'one', id] });
    },
  });
  const errors = add.error instanceof ApiProblem ? add.error.errors.map((e) => e.message) : add.error ? [add.error.message] : undefined;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="panel" noValidate>
      <h2>Add information</h2>
      <Field id="report-note" label="What else should the operations center know?" errors={errors}>
        <textarea rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
      </Field>
      <button type="submit" className="secondary" disabled={add.isPending}>
        {add.isPending ? 'Adding…' : 'Add to the report'}
      </button>
      {add.isSuccess && <p role="status">Added.</p>}
    </form>
  );
}
