import { Inject, Injectable } from '@nestjs/common';
import { normalizeSubmission, type IncidentSubmission, type NormalizedSubmission } from '@watchfloor/contracts';
import { activeTraceparent, type Caller, canActFor } from '@watchfloor/platform';
import { uuidv7 } from 'uuidv7';
import { incidentReported } from './incident.events';
import { idempotencyKeyReused, jurisdictionForbidden, sourceReferenceTaken } from './incident.errors';
import { incidentReceipt, type IncidentReceipt } from './incident.record';
import { IncidentRepository, UNIQUE_CONSTRAINTS } from './incident.repository';
import { IncidentStore, type NewSubmission } from './incident.store';
import { incidentView } from './incident.view';
import { requestHash } from './request-hash';
import { ResubmitIncident } from './resubmit-incident.usecase';
import { submitter } from './submitter';

/** What `POST /v1/incidents` answers: a new incident (201) or the one with the same source reference (200). */
export type SubmitOutcome =
  | { kind: 'created'; receipt: IncidentReceipt }
  | { kind: 'existing'; incident: ReturnType<typeof incidentView> };

/**
 * Accepts a submission: stores it and its `incident.reported` event in one transaction
 * (group-committed with concurrent submissions). Idempotency-Key and source reference are
 * unique constraints; their violations are answered here, after the fact, not pre-checked.
 */
@Injectable()
export class SubmitIncident {
  constructor(
    @Inject(IncidentStore) private readonly store: IncidentStore,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(ResubmitIncident) private readonly resubmit: ResubmitIncident,
  ) {}

  async execute(caller: Caller, body: IncidentSubmission, options: { idempotencyKey?: string; correlationId: string }): Promise<SubmitOutcome> {
    const submission = normalizeSubmission(body);
    if (!canActFor(caller, submission.jurisdiction)) throw jurisdictionForbidden(submission.jurisdiction);
    const submittedBy = submitter(caller);
    const hash = options.idempotencyKey === undefined ? undefined : requestHash(submission);
    const receivedAt = new Date();
    // Taken here, in the request: the event is built in a group commit shared with other requests.
    const traceparent = activeTraceparent();
    const item: NewSubmission = {
      id: uuidv7(),
      submission,
      submittedBy,
      receivedAt,
      idempotency: options.idempotencyKey === undefined || hash === undefined ? undefined : { subject: caller.sub, key: options.idempotencyKey, requestHash: hash },
      event: (reference) => incidentReported({ id: item.id, reference, submission, submittedBy, receivedAt, correlationId: options.correlationId, traceparent }),
    };
    try {
      return { kind: 'created', receipt: await this.store.create(item) };
    } catch (error) {
      return this.answerConflict(error, caller, submission, item, options.correlationId);
    }
  }

  private async answerConflict(
    error: unknown,
    caller: Caller,
    submission: NormalizedSubmission,
    item: NewSubmission,
    correlationId: string,
  ): Promise<SubmitOutcome> {
    const constraint = uniqueViolation(error);
    if (constraint === UNIQUE_CONSTRAINTS.idempotency && item.idempotency) {
      const earlier = await this.incidents.findByIdempotencyKey(this.store.manager, item.idempotency.subject, item.idempotency.key);
      if (!earlier) throw error;
      if (earlier.requestHash !== item.idempotency.requestHash) throw idempotencyKeyReused();
      return { kind: 'created', receipt: incidentReceipt({ ...earlier.incident, exercise: earlier.incident.submission.exercise }) };
    }
    if (constraint === UNIQUE_CONSTRAINTS.source && submission.source) {
      const incident = await this.resubmit.execute(caller, submission, correlationId);
      if (!incident) throw sourceReferenceTaken();
      return { kind: 'existing', incident };
    }
    throw error;
  }
}

/** The name of the unique constraint a Postgres error violated, if that is what it is. */
function uniqueViolation(error: unknown): string | undefined {
  const driverError = (error as { driverError?: { code?: string; constraint?: string } } | undefined)?.driverError ?? (error as { code?: string; constraint?: string });
  return driverError?.code === '23505' ? driverError.constraint : undefined;
}
