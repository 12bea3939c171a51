import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * An exercise's identifier, e.g. `ga-tabletop-2026-10`: lower-case letters, digits and
 * single hyphens, 3 to 64 characters, starting with a letter. Kept this narrow because it
 * travels as a NATS header, a query parameter and a path segment without any escaping.
 */
export const EXERCISE_ID_PATTERN = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){2,63}$/;

/** Whether `value` is an exercise identifier (see {@link EXERCISE_ID_PATTERN}). */
export function isExerciseId(value: unknown): value is string {
  return typeof value === 'string' && EXERCISE_ID_PATTERN.test(value);
}

/** An exercise identifier (see {@link EXERCISE_ID_PATTERN}). */
export function IsExerciseId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isExerciseId',
      validator: {
        validate: (value) => isExerciseId(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an exercise id: 3 to 64 lower-case letters, digits and single hyphens, starting with a letter (e.g. ga-tabletop-2026-10)`,
          options,
        ),
      },
    },
    options,
  );
}

/**
 * The exercise an event's data belongs to, if any: `exercise`, or for `incident.reported`
 * the submission's `exercise`. Absent means real traffic.
 */
export function exerciseOfData(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const record = data as { exercise?: unknown; submission?: { exercise?: unknown } };
  const exercise = record.exercise ?? (typeof record.submission === 'object' && record.submission !== null ? record.submission.exercise : undefined);
  return typeof exercise === 'string' ? exercise : undefined;
}
