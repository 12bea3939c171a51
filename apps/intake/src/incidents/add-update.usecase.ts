import { Inject, Injectable } from '@nestjs/common';
import { normalizeUpdateSubmission, type IncidentUpdateSubmission } from '@watchfloor/contracts';
import type { Caller } from '@watchfloor/platform';
import { uuidv7 } from 'uuidv7';
import { canUpdate } from './incident-access';
import { idempotencyKeyReused, incidentNotFound } from './incident.errors';
import { incidentUpdated } from './incident.events';
import { mergeUpdate } from './incident-merge';
import { IncidentRepository } from './incident.repository';
import { IncidentStore } from './incident.store';
import { requestHash } from './request-hash';
import { submitter } from './submitter';

/**
 * New information from the submitter's jurisdiction: stored as an update, merged into the
 * submission as its next version, announced as `incident.updated`. An update that adds
 * nothing new (observables already known, say) is recorded but announces nothing. With an
 * `Idempotency-Key`, the same update sent again answers as the first did and adds nothing.
 */
@Injectable()
export class AddIncidentUpdate {
  constructor(
    @Inject(IncidentStore) private readonly store: IncidentStore,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
  ) {}

  async execute(caller: Caller, incidentId: string, body: IncidentUpdateSubmission, options: { idempotencyKey?: string; correlationId: string }): Promise<{ updateId: string }> {
    const update = normalizeUpdateSubmission(body);
    const idempotency = options.idempotencyKey === undefined ? undefined : { subject: caller.sub, key: options.idempotencyKey, requestHash: requestHash(update) };
    const { correlationId } = options;
    return this.store.transaction(async (manager, emit) => {
      const current = await this.incidents.findById(manager, incidentId, { lock: true });
      if (!current || !canUpdate(caller, current)) throw incidentNotFound(incidentId);
      // The incident's row lock serialises retries of one update: the second finds the first.
      const earlier = idempotency && (await this.incidents.findUpdateByIdempotencyKey(manager, incidentId, idempotency.subject, idempotency.key));
      if (earlier) {
        if (earlier.requestHash !== idempotency.requestHash) throw idempotencyKeyReused();
        return { updateId: earlier.updateId };
      }
      const merged = mergeUpdate(current.submission, update);
      const now = new Date();
      const updateId = uuidv7();
      const { note, ...changes } = merged.delta;
      await this.incidents.insertUpdate(manager, { id: updateId, incidentId, note: note ?? null, changes, submittedBy: submitter(caller), createdAt: now, idempotency });
      if (merged.changed) {
        const version = await this.incidents.saveSubmission(manager, current, merged.submission, now);
        await emit(incidentUpdated({ incidentId, updateId, version, origin: 'update', merged, submittedBy: submitter(caller), receivedAt: now, correlationId }));
      }
      return { updateId };
    });
  }
}
