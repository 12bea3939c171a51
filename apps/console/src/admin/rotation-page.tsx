import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiProblem } from '../api/problem';
import { readRotation, replaceRotation, type VersionedRotation } from '../api/triage';
import { useSignedIn } from '../session/session-context';
import { ErrorSummary } from '../ui/error-summary';
import { Field, GroupErrors } from '../ui/field';
import { QueryState } from '../ui/query-state';
import { Link } from '../ui/router';
import { SignInAgain } from '../ui/sign-in-again';
import { formatTime } from '../ui/time';
import { draftOf, rotationControlId as id, rotationFieldOf, toRotationBody, WEEK_DAYS, type RotationDraft } from './rotation-draft';

const DAY_WORDS: Record<(typeof WEEK_DAYS)[number], string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

const setBy = ({ rotation }: VersionedRotation) =>
  rotation.version === 0 ? 'No rotation has been set yet.' : `Version ${rotation.version}, set ${rotation.changedAt ? formatTime(rotation.changedAt) : ''}${rotation.changedBy?.sub ? ` by ${rotation.changedBy.sub}` : ''}.`;

/** An administrator edits the on-call rotation (triage's `PUT /v1/oncall`, on the version read). */
export function RotationPage() {
  const { token } = useSignedIn();
  // Read once: a form being edited is not replaced under the administrator's hands.
  const current = useQuery({ queryKey: ['oncall', 'edit'], queryFn: () => readRotation(token), refetchOnWindowFocus: false });
  return (
    <main id="main" tabIndex={-1} className="page narrow">
      <h1>Edit the on-call rotation</h1>
      <p className="lead">
        Who is on call, when (wall-clock times in the rotation&apos;s time zone), and who is called when an acknowledgement is missed. New
        incidents are assigned to whoever is on call. <Link to="/oncall">See who is on call now</Link>.
      </p>
      <QueryState isPending={current.isPending} error={current.error} what="rotation" />
      {current.data && <RotationForm key={current.data.version} read={current.data} onReload={() => void current.refetch()} />}
    </main>
  );
}

function RotationForm({ read, onReload }: { read: VersionedRotation; onReload(): void }) {
  const { token } = useSignedIn();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<RotationDraft>(() => draftOf(read.rotation));
  // The version the next save names in If-Match: the one read, or theirs once the
  // administrator chose to save over a change made meanwhile.
  const [base, setBase] = useState(read.version);
  const [theirs, setTheirs] = useState<VersionedRotation>();
  const [saved, setSaved] = useState<VersionedRotation>();
  const save = useMutation({
    mutationFn: () => replaceRotation(token, toRotationBody(draft), base),
    onSuccess: async (result) => {
      setSaved(result);
      setBase(result.version);
      setTheirs(undefined);
      setDraft(draftOf(result.rotation));
      await queryClient.invalidateQueries({ queryKey: ['oncall'], predicate: (query) => query.queryKey[1] !== 'edit' });
    },
    onError: async (error) => {
      setSaved(undefined);
      if (error instanceof ApiProblem && error.status === 412) setTheirs(await readRotation(token));
    },
  });
  const signedOut = save.error instanceof ApiProblem && save.error.status === 401;
  const lostRace = save.error instanceof ApiProblem && save.error.status === 412;
  const problem = save.error instanceof ApiProblem && !signedOut && !lostRace ? save.error : undefined;
  const errors: Record<string, string[]> = {};
  for (const { field, message } of problem?.errors ?? []) (errors[rotationFieldOf(field)] ??= []).push(message);

  const setShift = (index: number, change: Partial<RotationDraft['shifts'][number]>) =>
    setDraft((d) => ({ ...d, shifts: d.shifts.map((shift, i) => (i === index ? { ...shift, ...change } : shift)) }));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <>
      <p>{setBy(saved ?? read)}</p>
      {saved && (
        <p role="status" className="panel">
          Saved: the rotation is now version {saved.rotation.version}.
        </p>
      )}
      {signedOut && <SignInAgain what="the rotation" />}
      {lostRace && (
        <div className="error-summary" role="alert">
          <h2>Someone else changed the rotation first: yours was not saved</h2>
          <p>{theirs ? setBy(theirs) : 'Reading the rotation in force…'}</p>
          <div className="actions">
            <button type="button" className="secondary" onClick={onReload}>
              Show theirs (drop my changes)
            </button>
            {theirs && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setBase(theirs.version);
                  save.mutate();
                }}
              >
                Save mine over theirs
              </button>
            )}
          </div>
        </div>
      )}
      {problem && <ErrorSummary problem={problem} what="The rotation" controlIdOf={(field) => id(rotationFieldOf(field))} />}
      {save.error && !(save.error instanceof ApiProblem) && (
        <p role="alert" className="error-summary">
          The rotation could not be saved ({save.error.message}). Check your connection and save it again.
        </p>
      )}
      <form onSubmit={onSubmit} noValidate>
        <Field id={id('timezone')} label="Time zone" hint="An IANA zone, e.g. America/New_York or UTC. Shift times are read on this clock, daylight saving included." errors={errors['timezone']}>
          <input type="text" spellCheck={false} autoComplete="off" value={draft.timezone} onChange={(e) => setDraft((d) => ({ ...d, timezone: e.target.value }))} />
        </Field>

        <fieldset aria-describedby={errors['shifts'] ? `${id('shifts')}-error` : undefined}>
          <legend>Shifts</legend>
          <p className="hint">
            Times as HH:mm repeat on the days ticked (every day when none is); an end at or before the start ends the next day. For a one-off
            shift, write a date and time, e.g. 2026-11-03T05:00. Overlapping shifts share the incidents in turn.
          </p>
          <GroupErrors id={`${id('shifts')}-error`} errors={errors['shifts']} />
          {draft.shifts.map((shift, index) => (
            <div className="observable-row" key={index} role="group" aria-label={`Shift ${index + 1}`}>
              <Field id={id(`shifts.${index}.assignee`)} label={`Shift ${index + 1}: who`} errors={errors[`shifts.${index}.assignee`]}>
                <input type="text" spellCheck={false} autoComplete="off" value={shift.assignee} onChange={(e) => setShift(index, { assignee: e.target.value })} />
              </Field>
              <div className="pair">
                <Field id={id(`shifts.${index}.start`)} label={`Shift ${index + 1}: from`} errors={errors[`shifts.${index}.start`]}>
                  <input type="text" inputMode="numeric" spellCheck={false} autoComplete="off" value={shift.start} onChange={(e) => setShift(index, { start: e.target.value })} />
                </Field>
                <Field id={id(`shifts.${index}.end`)} label={`Shift ${index + 1}: to`} errors={errors[`shifts.${index}.end`]}>
                  <input type="text" inputMode="numeric" spellCheck={false} autoComplete="off" value={shift.end} onChange={(e) => setShift(index, { end: e.target.value })} />
                </Field>
              </div>
              <fieldset className="days" aria-describedby={errors[`shifts.${index}.days`] ? `${id(`shifts.${index}.days`)}-error` : undefined}>
                <legend>Shift {index + 1}: on which days (none ticked: every day)</legend>
                <GroupErrors id={`${id(`shifts.${index}.days`)}-error`} errors={errors[`shifts.${index}.days`]} />
                <div className="day-boxes" id={id(`shifts.${index}.days`)}>
                  {WEEK_DAYS.map((day) => (
                    <label key={day} className="checkbox">
                      <input
                        type="checkbox"
                        checked={shift.days.includes(day)}
                        onChange={(e) => setShift(index, { days: e.target.checked ? [...shift.days, day] : shift.days.filter((d) => d !== day) })}
                      />
                      {DAY_WORDS[day]}
                    </label>
                  ))}
                </div>
              </fieldset>
              <button type="button" className="secondary" onClick={() => setDraft((d) => ({ ...d, shifts: d.shifts.filter((_, i) => i !== index) }))}>
                Remove shift {index + 1}
              </button>
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => setDraft((d) => ({ ...d, shifts: [...d.shifts, { assignee: '', start: '', end: '', days: [] }] }))}>
            Add a shift
          </button>
        </fieldset>

        <fieldset aria-describedby={errors['escalation'] ? `${id('escalation')}-error` : undefined}>
          <legend>Escalation</legend>
          <p className="hint">Who is called when an incident is not acknowledged in time: level 1 first; the last is called for every level beyond.</p>
          <GroupErrors id={`${id('escalation')}-error`} errors={errors['escalation']} />
          {draft.escalation.map((contact, index) => (
            <div className="inline-row" key={index}>
              <Field id={id(`escalation.${index}`)} label={`Level ${index + 1}`} errors={errors[`escalation.${index}`]}>
                <input
                  type="text"
                  spellCheck={false}
                  autoComplete="off"
                  value={contact}
                  onChange={(e) => setDraft((d) => ({ ...d, escalation: d.escalation.map((c, i) => (i === index ? e.target.value : c)) }))}
                />
              </Field>
              <button type="button" className="secondary" onClick={() => setDraft((d) => ({ ...d, escalation: d.escalation.filter((_, i) => i !== index) }))}>
                Remove level {index + 1}
              </button>
            </div>
          ))}
          <button type="button" className="secondary" onClick={() => setDraft((d) => ({ ...d, escalation: [...d.escalation, ''] }))}>
            Add a contact
          </button>
        </fieldset>

        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save the rotation'}
        </button>
      </form>
    </>
  );
}
