/** Services that keep exercise data and purge it (audit keeps its entries: docs/exercises.md). */
export const EXERCISE_PURGING_SERVICES = ['intake', 'triage', 'notification'] as const;
export type ExercisePurgingService = (typeof EXERCISE_PURGING_SERVICES)[number];
