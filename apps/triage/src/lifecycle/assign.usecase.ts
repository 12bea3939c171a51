import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@watchfloor/platform';
import { IncidentChanges } from '../incidents/incident-changes';
import type { TriageIncident } from '../incidents/incident.record';
import { userInitiator } from './initiator';
import { IncidentMutation } from './incident-mutation';

/** Gives the incident to a triage officer (`incident.assigned`); the same assignee again is a no-op. */
@Injectable()
export class AssignIncident {
  constructor(
    @Inject(IncidentMutation) private readonly mutation: IncidentMutation,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
  ) {}

  execute(caller: Caller, id: string, assignee: string, expectedVersion: number | undefined, correlationId: string): Promise<TriageIncident> {
    const trimmed = assignee.trim();
    return this.mutation.run(id, expectedVersion, async (manager, incident) => {
      if (incident.assignee === trimmed) return incident;
      const { incident: updated } = await this.changes.apply(manager, incident, {
        type: 'watchfloor.incident.assigned.v1',
        data: { assignee: trimmed, ...(incident.assignee ? { previousAssignee: incident.assignee } : {}), by: userInitiator(caller) },
        set: { assignee: trimmed },
        correlationId,
      });
      return updated;
    });
  }
}
