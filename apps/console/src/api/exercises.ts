import type { ExercisePurgingService } from '@watchfloor/contracts';
import { callApi, queryString } from './http';
import type { Page, ReportSummary } from './intake';

/** The services that keep exercise data, each purged by its own `DELETE /v1/exercises/:exercise` (docs/exercises.md). */
export const PURGING_SERVICES = ['intake', 'triage', 'notification'] as const satisfies readonly ExercisePurgingService[];

/** A service's answer to a purge: the data of its `exercise.purged` event. */
export interface ExercisePurged {
  exercise: string;
  service: ExercisePurgingService;
  removed: Partial<Record<'incidents' | 'clusters' | 'rotations' | 'subscriptions' | 'deliveries', number>>;
  incidentIds: string[];
  purgedAt: string;
}

/** Intake's incidents of an exercise (its list with `?exercise=`): what a purge would remove there. */
export const listExerciseReports = (token: string, exercise: string) =>
  callApi<Page<ReportSummary>>('intake', `/v1/incidents${queryString({ exercise, limit: 50 })}`, token).then((r) => r.body);

export const purgeExercise = (token: string, service: ExercisePurgingService, exercise: string) =>
  callApi<ExercisePurged>(service, `/v1/exercises/${encodeURIComponent(exercise)}`, token, { method: 'DELETE' }).then((r) => r.body);
