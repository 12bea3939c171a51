import { useQuery } from '@tanstack/react-query';
import { readOnCall, type Rotation } from '../api/triage';
import { useSignedIn } from '../session/session-context';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { formatTime } from '../ui/time';

/** Read again every minute: a shift change shows without a reload. */
const ONCALL_REFRESH_MS = 60_000;

const DAY_WORDS: Record<string, string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/** When the current shifts end: the first moment someone else may be on (undefined when nobody is on). */
export function nextChangeOf(rotation: Rotation): string | undefined {
  const ends = rotation.onCall.windows.map((window) => window.end).sort();
  return ends[0];
}

/** Who is on call now and next, and the rotation (triage's `GET /v1/oncall`). */
export function OnCallPage() {
  const { token, claims } = useSignedIn();
  const now = useQuery({ queryKey: ['oncall'], queryFn: () => readOnCall(token), refetchInterval: ONCALL_REFRESH_MS });
  const change = now.data ? nextChangeOf(now.data) : undefined;
  const next = useQuery({ queryKey: ['oncall', change], queryFn: () => readOnCall(token, change), enabled: change !== undefined });
  const rotation = now.data;
  return (
    <main id="main" tabIndex={-1} className="page">
      <h1>On call</h1>
      {claims.roles.includes('admin') && (
        <p>
          <Link to="/rotation">Change the rotation</Link>
        </p>
      )}
      <QueryState isPending={now.isPending} error={now.error} what="rotation" />
      {rotation && (
        <>
          <div className="columns">
            <section className="panel" aria-labelledby="now-title">
              <h2 id="now-title">On call now</h2>
              {rotation.onCall.assignees.length === 0 ? (
                <p>
                  <strong>Nobody.</strong> New incidents are not assigned to anyone until a shift begins.
                </p>
              ) : (
                <ul className="oncall-people">
                  {rotation.onCall.windows.map((window) => (
                    <li key={`${window.assignee}-${window.start}`}>
                      <strong>{window.assignee}</strong> <span className="muted">until {formatTime(window.end)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="panel" aria-labelledby="next-title">
              <h2 id="next-title">Next</h2>
              {change === undefined ? (
                <p>{rotation.shifts.length === 0 ? 'No rotation is set.' : 'The rotation below says when the next shift begins.'}</p>
              ) : next.data ? (
                <p>
                  From {formatTime(change)}:{' '}
                  <strong>{next.data.onCall.assignees.length > 0 ? next.data.onCall.assignees.join(', ') : 'nobody'}</strong>
                </p>
              ) : (
                <QueryState isPending={next.isPending} error={next.error} what="next shift" />
              )}
            </section>
          </div>
          <section className="panel" aria-labelledby="rotation-title">
            <h2 id="rotation-title">The rotation</h2>
            {rotation.version === 0 ? (
              <p>No rotation has been set: new incidents are not assigned automatically. An administrator sets one (Edit rotation, or PUT /v1/oncall).</p>
            ) : (
              <>
                <p className="muted">
                  Times in {rotation.timezone}
                  {rotation.changedAt ? ` · set ${formatTime(rotation.changedAt)}${rotation.changedBy?.sub ? ` by ${rotation.changedBy.sub}` : ''}` : ''}
                </p>
                <div className="table-scroll" role="region" aria-label="Shifts" tabIndex={0}>
                  <table>
                    <caption>Shifts</caption>
                    <thead>
                      <tr>
                        <th scope="col">Who</th>
                        <th scope="col">Days</th>
                        <th scope="col">From</th>
                        <th scope="col">To</th>
                      </tr>
                    </thead>
                    <tbody>
                      {rotation.shifts.map((shift, index) => (
                        <tr key={`${shift.assignee}-${index}`}>
                          <td>{shift.assignee}</td>
                          <td>{shift.start.includes('T') ? 'once' : shift.days ? shift.days.map((day) => DAY_WORDS[day] ?? day).join(', ') : 'every day'}</td>
                          <td>{shift.start}</td>
                          <td>{shift.end}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                <h3>Escalation</h3>
                {rotation.escalation.length === 0 ? (
                  <p>No escalation contacts.</p>
                ) : (
                  <ol>
                    {rotation.escalation.map((sub, index) => (
                      <li key={sub}>
                        Level {index + 1}
                        {index === rotation.escalation.length - 1 ? ' and beyond' : ''}: {sub}
                      </li>
                    ))}
                  </ol>
                )}
              </>
            )}
          </section>
        </>
      )}
    </main>
  );
}
