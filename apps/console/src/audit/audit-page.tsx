import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { fetchExport, listRecordedReports, verifyChain, type AuditEntry, type ExportFormat } from '../api/audit';
import { useSignedIn } from '../session/session-context';
import { ExerciseBadge } from '../ui/badges';
import { QueryState } from '../ui/query-state';
import { Link, useLocation } from '../ui/router';
import { formatTime, shortId } from '../ui/time';
import { ChainResult } from './chain-result';

/** The auditor's page: verify the chain, export it, and open an incident's recorded timeline. */
export function AuditPage() {
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>Audit record</h1>
      <p className="lead">
        Every event of every incident and notification, in one hash-chained log signed at checkpoints. Nobody can change it without verify
        finding where.
      </p>
      <div className="columns">
        <div>
          <VerifyPanel />
          <RecordedIncidents />
        </div>
        <div>
          <ExportPanel />
        </div>
      </div>
    </main>
  );
}

function VerifyPanel() {
  const { token } = useSignedIn();
  const verify = useMutation({ mutationFn: () => verifyChain(token) });
  return (
    <section className="panel" aria-labelledby="verify-title">
      <h2 id="verify-title">Verify the chain</h2>
      <p>Recomputes every entry&apos;s hash from the first to the newest and checks every signed checkpoint. It reads the whole log: a minute per million entries.</p>
      <button type="button" className="primary" onClick={() => verify.mutate()} disabled={verify.isPending}>
        {verify.isPending ? 'Verifying…' : verify.data ? 'Verify again' : 'Verify the chain'}
      </button>
      {verify.error && <p role="alert">Could not verify: {verify.error.message}</p>}
      <div aria-live="polite">{verify.data && !verify.isPending && <ChainResult report={verify.data} />}</div>
    </section>
  );
}

function ExportPanel() {
  const { token } = useSignedIn();
  const [saved, setSaved] = useState<string>();
  const download = useMutation({
    mutationFn: (format: ExportFormat) => fetchExport(token, format),
    onSuccess: ({ blob, fileName }) => {
      // The export needs the bearer token, so it is fetched, then saved as a file from memory.
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setSaved(fileName);
    },
  });
  return (
    <section className="panel" aria-labelledby="export-title">
      <h2 id="export-title">Export</h2>
      <p>The whole log from entry 1 to now, with every hash. Events above your clearance keep their place and hashes; their content is withheld.</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => download.mutate('jsonl')} disabled={download.isPending}>
          Download JSONL (to verify)
        </button>
        <button type="button" className="secondary" onClick={() => download.mutate('csv')} disabled={download.isPending}>
          Download CSV (spreadsheets)
        </button>
      </div>
      <p className="hint">
        Check a JSONL export on your own machine, with nothing but the public key: <code>npm run audit:verify -- export.jsonl --public-key &lt;key&gt;</code>.
        For a very large log, download with <code>curl</code> instead: the browser holds the file in memory.
      </p>
      <p role="status">{download.isPending ? 'Preparing the export…' : saved ? `Saved ${saved}.` : ''}</p>
      {download.error && <p role="alert">Could not export: {download.error.message}</p>}
    </section>
  );
}

/** The reference and title an `incident.reported` entry carries, when the caller may see its event. */
export function reportOf(entry: AuditEntry): { reference?: string; title?: string } {
  const data = entry.event?.data;
  const submission = data?.['submission'] as { title?: unknown } | undefined;
  return {
    ...(typeof data?.['reference'] === 'string' ? { reference: data['reference'] } : {}),
    ...(typeof submission?.title === 'string' ? { title: submission.title } : {}),
  };
}

function RecordedIncidents() {
  const { token } = useSignedIn();
  const { navigate } = useLocation();
  const [incidentId, setIncidentId] = useState('');
  const reports = useInfiniteQuery({
    queryKey: ['audit-reports'],
    queryFn: ({ pageParam }) => listRecordedReports(token, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const open = (event: FormEvent) => {
    event.preventDefault();
    if (incidentId.trim()) navigate(`/audit/incidents/${encodeURIComponent(incidentId.trim())}`);
  };
  const entries = reports.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section className="panel" aria-labelledby="recorded-title">
      <h2 id="recorded-title">Incidents in the record</h2>
      <form className="inline-form" onSubmit={open}>
        <label htmlFor="audit-incident-id">Open an incident&apos;s timeline by its id</label>
        <div className="inline-controls">
          <input id="audit-incident-id" type="text" spellCheck={false} autoComplete="off" value={incidentId} onChange={(e) => setIncidentId(e.target.value)} />
          <button type="submit" className="secondary">
            Open
          </button>
        </div>
      </form>
      <h3>Reports, in the order they were recorded</h3>
      <QueryState isPending={reports.isPending} error={reports.error} what="record" />
      {reports.data && entries.length === 0 && <p>Nothing recorded yet.</p>}
      <ol className="history recorded">
        {entries.map((entry) => {
          const { reference, title } = reportOf(entry);
          const id = entry.incidentIds[0] ?? '';
          return (
            <li key={entry.sequence}>
              <Link to={`/audit/incidents/${id}`}>{title ?? `Incident ${shortId(id)} (withheld: above your clearance)`}</Link>{' '}
              <span className="muted">
                {reference && <span className="reference">{reference}</span>}
                {reference ? ' · ' : ''}TLP:{entry.tlp.toUpperCase()} · #{entry.sequence} · {formatTime(entry.occurredAt)}
              </span>{' '}
              <ExerciseBadge exercise={entry.exercise} />
            </li>
          );
        })}
      </ol>
      {reports.hasNextPage && (
        <button type="button" className="secondary" onClick={() => void reports.fetchNextPage()} disabled={reports.isFetchingNextPage}>
          Show more
        </button>
      )}
    </section>
  );
}
