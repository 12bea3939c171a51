import { ConflictError, ForbiddenError, NotFoundError, RequestValidationError, UnprocessableError } from '@watchfloor/platform';

/** 404 for an incident that does not exist or that the caller may not see (never reveal which). */
export const incidentNotFound = (id: string) => new NotFoundError('INCIDENT.NOT_FOUND', `No incident ${id}.`);

export const jurisdictionForbidden = (jurisdiction: string) =>
  new ForbiddenError('INCIDENT.JURISDICTION_FORBIDDEN', `You may not act for ${jurisdiction}: it is outside your jurisdiction.`);

export const idempotencyKeyReused = () =>
  new UnprocessableError('INCIDENT.IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different body.');

export const sourceReferenceTaken = () =>
  new ConflictError(
    'INCIDENT.SOURCE_REFERENCE_CONFLICT',
    'This source.system and source.reference belong to an incident of your organisation that you may not act for (another jurisdiction, or above your clearance).',
  );

export const badIdempotencyKey = (message: string) => new RequestValidationError([{ field: 'Idempotency-Key', message }]);

export const exerciseMismatch = (current: string | undefined) =>
  new UnprocessableError(
    'INCIDENT.EXERCISE_MISMATCH',
    current === undefined
      ? 'This source.reference belongs to a real incident; an exercise report cannot update it.'
      : `This source.reference belongs to an incident of exercise ${current}; send the same exercise.`,
    { errors: [{ field: 'exercise', message: 'exercise must be that of the incident this source.reference belongs to' }] },
  );
