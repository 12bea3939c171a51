import { createEvent, type IncidentUpdatedV1, type NormalizedSubmission, type UpdateOrigin } from '@watchfloor/contracts';
import type { Submitter } from './incident.record';
import type { MergedUpdate } from './incident-merge';

/** CloudEvents `source` of everything intake publishes. */
export const INTAKE_SOURCE = '/watchfloor/intake';

/** `incident.reported.v1` for a newly accepted incident. */
export function incidentReported(input: {
  id: string;
  reference: string;
  submission: NormalizedSubmission;
  submittedBy: Submitter;
  receivedAt: Date;
  correlationId: string;
  /** The request's trace; the outbox cannot take it from the group commit's context. */
  traceparent?: string;
}) {
  const { submission } = input;
  return createEvent(
    'watchfloor.incident.reported.v1',
    {
      incidentId: input.id,
      version: 1,
      reference: input.reference,
      submission,
      submittedBy: principal(input.submittedBy),
      receivedAt: input.receivedAt.toISOString(),
    },
    {
      source: INTAKE_SOURCE,
      subject: input.id,
      tlp: submission.tlp,
      jurisdiction: submission.jurisdiction,
      correlationId: input.correlationId,
      time: input.receivedAt,
      ...(input.traceparent === undefined ? {} : { traceparent: input.traceparent }),
    },
  );
}

/** `incident.updated.v1` for what an update or re-submission added. */
export function incidentUpdated(input: {
  incidentId: string;
  updateId: string;
  version: number;
  origin: UpdateOrigin;
  merged: MergedUpdate;
  submittedBy: Submitter;
  receivedAt: Date;
  correlationId: string;
}) {
  const { submission, delta } = input.merged;
  const data: IncidentUpdatedV1 = {
    incidentId: input.incidentId,
    version: input.version,
    updateId: input.updateId,
    origin: input.origin,
    ...delta,
    submittedBy: principal(input.submittedBy),
    receivedAt: input.receivedAt.toISOString(),
    ...(submission.exercise === undefined ? {} : { exercise: submission.exercise }),
  };
  return createEvent('watchfloor.incident.updated.v1', data, {
    source: INTAKE_SOURCE,
    subject: input.incidentId,
    tlp: submission.tlp,
    jurisdiction: submission.jurisdiction,
    correlationId: input.correlationId,
    time: input.receivedAt,
  });
}

function principal(submitter: Submitter): { sub: string; org?: string } {
  return submitter.org === undefined ? { sub: submitter.sub } : { sub: submitter.sub, org: submitter.org };
}
