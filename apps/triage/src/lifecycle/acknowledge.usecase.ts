import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@watchfloor/platform';
import { Clock } from '@watchfloor/persistence';
import type { EntityManager } from 'typeorm';
import { IncidentChanges } from '../incidents/incident-changes';
import type { TriageIncident } from '../incidents/incident.record';
import { userInitiator } from './initiator';
import { IncidentMutation } from './incident-mutation';

/**
 * A triage officer takes the incident on: `acknowledged_at` set (which stops escalation),
 * `new` becomes `acknowledged`, and `incident.acknowledged` says whether it was within the
 * deadline. Acknowledging again changes nothing and answers the same.
 */
@Injectable()
export class AcknowledgeIncident {
  constructor(
    @Inject(IncidentMutation) private readonly mutation: IncidentMutation,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, id: string, expectedVersion: number | undefined, correlationId: string): Promise<TriageIncident> {
    return this.mutation.run(id, expectedVersion, (manager, incident) => this.apply(manager, incident, caller, correlationId));
  }

  /** Acknowledges an incident locked in the caller's transaction. */
  async apply(manager: EntityManager, incident: TriageIncident, caller: Caller, correlationId: string): Promise<TriageIncident> {
    // Only a new incident is acknowledged: twice is a no-op, and one resolved without it stays as it is.
    if (incident.status !== 'new' || incident.acknowledgedAt) return incident;
    const at = this.clock.now();
    const by = userInitiator(caller);
    const { incident: updated } = await this.changes.apply(manager, incident, {
      type: 'watchfloor.incident.acknowledged.v1',
      data: { by, at: at.toISOString(), withinDeadline: !incident.ackDeadline || at <= incident.ackDeadline },
      set: { acknowledgedAt: at, acknowledgedBy: by, status: 'acknowledged' },
      correlationId,
      at,
    });
    return updated;
  }
}
