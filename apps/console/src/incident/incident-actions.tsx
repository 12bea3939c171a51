import { useMutation } from '@tanstack/react-query';
import type { IncidentStatus, PriorityLevel, Resolution, Tlp } from '@watchfloor/contracts';
import { useState, type FormEvent } from 'react';
import { ApiProblem } from '../api/problem';
import { changeIncident, type IncidentChange, type IncidentDetail } from '../api/triage';
import { useSignedIn } from '../session/session-context';
import { optionsOf, PRIORITY_LABELS, RESOLUTION_LABELS, STATUS_LABELS, TLP_LABELS } from '../ui/labels';
import { NEXT_STATUSES } from './next-statuses';

interface ActionsProps {
  incident: IncidentDetail;
  version: string;
  /** After a change went through: read the incident (and the queue) again. */
  onChanged(): Promise<void>;
  /** A change was refused with 412: someone else changed the incident first. */
  onConflict(): void;
}

/** Acknowledge, assign, move along the lifecycle, add a note: each on the version read (If-Match). */
export function IncidentActions({ incident, version, onChanged, onConflict }: ActionsProps) {
  const { token, claims } = useSignedIn();
  const change = useMutation({
    mutationFn: (next: IncidentChange) => changeIncident(token, incident.id, version, next),
    onSuccess: onChanged,
    onError: (error) => {
      if (error instanceof ApiProblem && error.status === 412) onConflict();
    },
  });
  const failure = change.error instanceof ApiProblem && change.error.status === 412 ? undefined : change.error;
  return (
    <section aria-labelledby="actions-title" className="panel">
      <h2 id="actions-title">Act</h2>
      {failure && (
        <div role="alert" className="error-summary">
          <p>{failure instanceof ApiProblem ? (failure.detail ?? failure.title) : `Could not reach triage: ${failure.message}`}</p>
          {failure instanceof ApiProblem && failure.errors.length > 0 && (
            <ul>
              {failure.errors.map((e) => (
                <li key={e.field}>{e.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {change.isSuccess && (
        <p role="status" className="success">
          Done.
        </p>
      )}
      <div className="action-row">
        {!incident.acknowledgedAt && (
          <button type="button" className="primary" disabled={change.isPending} onClick={() => change.mutate({ kind: 'acknowledge' })}>
            Acknowledge
          </button>
        )}
        {incident.assignee !== claims.sub && (
          <button type="button" className="secondary" disabled={change.isPending} onClick={() => change.mutate({ kind: 'assign', assignee: claims.sub })}>
            Assign to me
          </button>
        )}
      </div>
      <AssignForm disabled={change.isPending} onAssign={(assignee) => change.mutate({ kind: 'assign', assignee })} />
      <StatusForm status={incident.status} disabled={change.isPending} onMove={(move) => change.mutate({ kind: 'status', ...move })} />
      <NoteForm defaultTlp={incident.tlp} disabled={change.isPending} onNote={(text, tlp) => change.mutate({ kind: 'note', text, tlp })} />
      <PriorityForm priority={incident.priority} disabled={change.isPending} onOverride={(level, reason) => change.mutate({ kind: 'priority', level, reason })} />
    </section>
  );
}

function AssignForm({ disabled, onAssign }: { disabled: boolean; onAssign(assignee: string): void }) {
  const [assignee, setAssignee] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onAssign(assignee.trim());
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label htmlFor="assign-to">Assign to (their sign-in id)</label>
      <div className="inline-controls">
        <input id="assign-to" type="text" value={assignee} spellCheck={false} onChange={(e) => setAssignee(e.target.value)} />
        <button type="submit" className="secondary" disabled={disabled}>
          Assign
        </button>
      </div>
    </form>
  );
}

function StatusForm({ status, disabled, onMove }: { status: IncidentStatus; disabled: boolean; onMove(move: { to: IncidentStatus; resolution?: Resolution; note?: string }): void }) {
  const options = NEXT_STATUSES[status];
  const [to, setTo] = useState<IncidentStatus | ''>('');
  const [resolution, setResolution] = useState<Resolution | ''>('');
  const [note, setNote] = useState('');
  if (options.length === 0) return <p>This incident is closed: it cannot change any more.</p>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!to) return;
    onMove({ to, ...(to === 'resolved' && resolution ? { resolution } : {}), ...(note.trim() ? { note: note.trim() } : {}) });
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label htmlFor="status-to">Change status to</label>
      <div className="inline-controls">
        <select id="status-to" value={to} onChange={(e) => setTo(e.target.value as IncidentStatus | '')}>
          <option value="">Choose…</option>
          {options.map((next) => (
            <option key={next} value={next}>
              {STATUS_LABELS[next]}
            </option>
          ))}
        </select>
        {to === 'resolved' && (
          <>
            <label htmlFor="status-resolution" className="visually-hidden">
              Resolution
            </label>
            <select id="status-resolution" value={resolution} onChange={(e) => setResolution(e.target.value as Resolution | '')}>
              <option value="">Resolution…</option>
              {optionsOf(RESOLUTION_LABELS).map((value) => (
                <option key={value} value={value}>
                  {RESOLUTION_LABELS[value]}
                </option>
              ))}
            </select>
          </>
        )}
        <button type="submit" className="secondary" disabled={disabled || !to}>
          Change status
        </button>
      </div>
      <label htmlFor="status-note">Note with the change (optional)</label>
      <input id="status-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} />
    </form>
  );
}

function NoteForm({ defaultTlp, disabled, onNote }: { defaultTlp: Tlp; disabled: boolean; onNote(text: string, tlp: Tlp): void }) {
  const [text, setText] = useState('');
  const [tlp, setTlp] = useState<Tlp>(defaultTlp);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onNote(text, tlp);
    setText('');
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label htmlFor="note-text">Add a note</label>
      <textarea id="note-text" rows={2} value={text} onChange={(e) => setText(e.target.value)} />
      <div className="inline-controls">
        <label htmlFor="note-tlp">Who may see the note</label>
        <select id="note-tlp" value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)}>
          {optionsOf(TLP_LABELS).map((value) => (
            <option key={value} value={value}>
              {TLP_LABELS[value].name}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary" disabled={disabled}>
          Add note
        </button>
      </div>
    </form>
  );
}

/** An officer's override of the level; the reason is mandatory (the API says so when it is missing). */
function PriorityForm({ priority, disabled, onOverride }: { priority: PriorityLevel; disabled: boolean; onOverride(level: PriorityLevel, reason: string): void }) {
  const [level, setLevel] = useState<PriorityLevel>(priority);
  const [reason, setReason] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onOverride(level, reason);
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label htmlFor="priority-level">Override the priority</label>
      <div className="inline-controls">
        <select id="priority-level" value={level} onChange={(e) => setLevel(e.target.value as PriorityLevel)}>
          {optionsOf(PRIORITY_LABELS)
            .reverse()
            .map((value) => (
              <option key={value} value={value}>
                {PRIORITY_LABELS[value]}
              </option>
            ))}
        </select>
      </div>
      <label htmlFor="priority-reason">Why (required; kept in the record)</label>
      <input id="priority-reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
      <button type="submit" className="secondary" disabled={disabled}>
        Override
      </button>
    </form>
  );
}
