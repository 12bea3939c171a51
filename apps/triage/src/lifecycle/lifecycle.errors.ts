import type { IncidentStatus } from '@watchfloor/contracts';
import { ConflictError, NotFoundError, PreconditionFailedError } from '@watchfloor/platform';

export const incidentNotFound = (id: string) => new NotFoundError('INCIDENT.NOT_FOUND', `No incident ${id}.`);

export const staleVersion = (expected: number, actual: number) =>
  new PreconditionFailedError('INCIDENT.VERSION_MISMATCH', `The incident is at version ${actual}, not ${expected}: reload it and try again.`);

export const illegalTransition = (from: IncidentStatus, to: IncidentStatus, allowed: readonly IncidentStatus[]) =>
  new ConflictError(
    'INCIDENT.ILLEGAL_TRANSITION',
    `An incident cannot go from ${from} to ${to}${allowed.length ? `; from ${from} it may go to ${allowed.join(', ')}` : `: ${from} is final`}.`,
  );

