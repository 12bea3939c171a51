import { Inject, Injectable } from '@nestjs/common';
import type { NormalizedSubmission } from '@watchfloor/contracts';
import type { Caller } from '@watchfloor/platform';
import { uuidv7 } from 'uuidv7';
import { canUpdate } from './incident-access';
import { exerciseMismatch } from './incident.errors';
import { incidentUpdated } from './incident.events';
import { mergeResubmission } from './incident-merge';
import { IncidentRepository } from './incident.repository';
import { IncidentStore } from './incident.store';
import { incidentView } from './incident.view';
import { sourceOwner, submitter } from './submitter';

/**
 * A submission whose `source.system` + `source.reference` is already known in the caller's
 * organisation (another organisation's are another namespace) is the same incident: what it
 * changes is recorded as an update (with an `incident.updated` event); an identical one changes
 * nothing. Undefined when the caller may not add information to that incident: the rule of
 * `POST /v1/incidents/:id/updates` (jurisdiction and clearance), since a re-submission is an
 * update that also answers with the whole incident.
 */
@Injectable()
export class ResubmitIncident {
  constructor(
    @Inject(IncidentStore) private readonly store: IncidentStore,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
  ) {}

  async execute(caller: Caller, incoming: NormalizedSubmission, correlationId: string): Promise<ReturnType<typeof incidentView> | undefined> {
    const source = incoming.source;
    if (!source) return undefined;
    return this.store.transaction(async (manager, emit) => {
      const current = await this.incidents.findBySource(manager, sourceOwner(submitter(caller)), source.system, source.reference, { lock: true });
      // A colleague of the same organisation outside its jurisdiction or clearance learns nothing of it.
      if (!current || !canUpdate(caller, current)) return undefined;
      // An exercise report never turns into a real one (or the reverse) by being sent again.
      if (current.submission.exercise !== incoming.exercise) throw exerciseMismatch(current.submission.exercise);
      const merged = mergeResubmission(current.submission, incoming);
      let incident = current;
      if (merged.changed) {
        const now = new Date();
        const updateId = uuidv7();
        const version = await this.incidents.saveSubmission(manager, current, merged.submission, now);
        const { note, ...changes } = merged.delta;
        await this.incidents.insertUpdate(manager, { id: updateId, incidentId: current.id, note: note ?? null, changes, submittedBy: submitter(caller), createdAt: now });
        await emit(incidentUpdated({ incidentId: current.id, updateId, version, origin: 'resubmission', merged, submittedBy: submitter(caller), receivedAt: now, correlationId }));
        incident = { ...current, submission: merged.submission, version, updatedAt: now.toISOString() };
      }
      return incidentView(incident, await this.incidents.listUpdates(manager, current.id));
    });
  }
}
