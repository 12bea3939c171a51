import { useMutation, useQuery, type UseQueryResult } from '@tanstack/react-query';
import type { ExercisePurgingService } from '@watchfloor/contracts';
import { useState, type FormEvent } from 'react';
import { listExerciseReports, purgeExercise, PURGING_SERVICES, type ExercisePurged } from '../api/exercises';
import type { Page, ReportSummary } from '../api/intake';
import { ApiProblem } from '../api/problem';
import { useSignedIn } from '../session/session-context';
import { Field } from '../ui/field';
import { QueryState } from '../ui/query-state';
import { SignInAgain } from '../ui/sign-in-again';
import { formatTime } from '../ui/time';

const SERVICE_WORDS: Record<ExercisePurgingService, string> = {
  intake: 'Intake (reports and their updates)',
  triage: 'Triage (incidents, timelines, notes, clusters, rotations)',
  notification: 'Notification (subscriptions, deliveries)',
};

/** Each kind of row a purge counts, one and many. */
const REMOVED_WORDS: Record<keyof ExercisePurged['removed'], [string, string]> = {
  incidents: ['incident', 'incidents'],
  clusters: ['cluster', 'clusters'],
  rotations: ['rotation version', 'rotation versions'],
  subscriptions: ['subscription', 'subscriptions'],
  deliveries: ['delivery', 'deliveries'],
};

/** One service's purge: what it removed, or why it did not. */
type PurgeOutcome = { service: ExercisePurgingService } & ({ purged: ExercisePurged } | { error: Error });

const removedWords = (purged: ExercisePurged) =>
  Object.entries(purged.removed)
    .map(([kind, count]) => `${count} ${REMOVED_WORDS[kind as keyof ExercisePurged['removed']][count === 1 ? 0 : 1]}`)
    .join(', ') || 'nothing';

/**
 * An administrator's exercises: Watchfloor keeps no list of them (an exercise exists because
 * data carries its id, docs/exercises.md), so the page asks for the id, shows what intake holds
 * for it, and purges it on intake, triage and notification after a confirmation.
 */
export function ExercisesPage() {
  const { token } = useSignedIn();
  const [typed, setTyped] = useState('');
  const [exercise, setExercise] = useState<string>();
  const reports = useQuery({ queryKey: ['exercise', exercise], queryFn: () => listExerciseReports(token, exercise ?? ''), enabled: exercise !== undefined });
  // A malformed id: intake's 400 names the field `exercise`, said beside the input.
  const refused = reports.error instanceof ApiProblem && reports.error.status === 400 ? reports.error : undefined;
  const onLookUp = (event: FormEvent) => {
    event.preventDefault();
    setExercise(typed.trim());
  };
  return (
    <main id="main" tabIndex={-1} className="page narrow">
      <h1>Exercises</h1>
      <p className="lead">
        Exercise traffic runs through the real system marked with its exercise id, apart from real work. After the exercise, purge it: intake,
        triage and notification delete its data. The audit record keeps its entries, marked as exercise, and records the purge.
      </p>
      <p className="hint">Watchfloor keeps no list of exercises: an exercise exists because its reports carry its id. Enter the id used for it.</p>
      <form onSubmit={onLookUp} className="panel" noValidate>
        <Field
          id="exercise-id"
          label="Exercise id"
          hint="Lower-case letters, digits and hyphens, e.g. ga-tabletop-2026-10."
          errors={refused ? refused.errors.filter((e) => e.field === 'exercise').map((e) => e.message) : undefined}
        >
          <input type="text" spellCheck={false} autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
        </Field>
        <button type="submit" className="secondary">
          Look it up
        </button>
      </form>
      {exercise !== undefined && !refused && <Exercise key={exercise} exercise={exercise} reports={reports} />}
    </main>
  );
}

/** What intake holds for the exercise, and its purge. */
function Exercise({ exercise, reports }: { exercise: string; reports: UseQueryResult<Page<ReportSummary>> }) {
  const { token } = useSignedIn();
  const [confirming, setConfirming] = useState(false);
  const purge = useMutation({
    mutationFn: async (): Promise<PurgeOutcome[]> => {
      const settled = await Promise.allSettled(PURGING_SERVICES.map((service) => purgeExercise(token, service, exercise)));
      return settled.map((outcome, i) => {
        const service = PURGING_SERVICES[i] ?? 'intake';
        return outcome.status === 'fulfilled' ? { service, purged: outcome.value } : { service, error: outcome.reason as Error };
      });
    },
    onSettled: () => {
      setConfirming(false);
      void reports.refetch();
    },
  });
  const outcomes = purge.data;
  const signedOut = outcomes?.some((o) => 'error' in o && o.error instanceof ApiProblem && o.error.status === 401);
  const failed = outcomes?.some((o) => 'error' in o);

  return (
    <section className="panel" aria-labelledby="exercise-title">
      <h2 id="exercise-title">Exercise {exercise}</h2>
      <QueryState isPending={reports.isPending} error={reports.error} what="exercise's reports" />
      {reports.data &&
        (reports.data.items.length === 0 ? (
          <p>Intake holds no reports of this exercise. Triage and notification may still hold its rotation or subscriptions.</p>
        ) : (
          <>
            <p>
              Intake holds {reports.data.nextCursor ? 'more than ' : ''}
              {reports.data.items.length} {reports.data.items.length === 1 ? 'report' : 'reports'} of this exercise:
            </p>
            <ul className="exercise-reports">
              {reports.data.items.map((report) => (
                <li key={report.id}>
                  <span className="reference">{report.reference}</span> {report.title} <span className="muted">{formatTime(report.receivedAt)}</span>
                </li>
              ))}
            </ul>
          </>
        ))}
      {outcomes && (
        <div role="status">
          <h3>{failed ? 'The purge did not complete everywhere' : `Exercise ${exercise} is purged`}</h3>
          <ul>
            {outcomes.map((outcome) => (
              <li key={outcome.service}>
                {SERVICE_WORDS[outcome.service]}: {'purged' in outcome ? `removed ${removedWords(outcome.purged)}` : `not purged (${outcome.error.message})`}
              </li>
            ))}
          </ul>
          {failed && !signedOut && <p>A purge can be repeated: purge again to finish it.</p>}
        </div>
      )}
      {signedOut && <SignInAgain what="the purge" />}
      {confirming ? (
        <div className="confirm" role="group" aria-label={`Purge exercise ${exercise}?`}>
          <p>
            <strong>Purge exercise {exercise}?</strong> Its reports, incidents, timelines, notes, clusters, rotations, subscriptions and deliveries
            are deleted from intake, triage and notification. This cannot be undone. The audit record keeps its entries.
          </p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => purge.mutate()} disabled={purge.isPending}>
              {purge.isPending ? 'Purging…' : 'Purge it'}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        reports.data && (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {outcomes ? `Purge ${exercise} again…` : `Purge ${exercise}…`}
          </button>
        )
      )}
    </section>
  );
}
