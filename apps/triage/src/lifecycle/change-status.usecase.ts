import { Inject, Injectable } from '@nestjs/common';
import { INCIDENT_TRANSITIONS, isAllowedTransition } from '@watchfloor/contracts';
import { type Caller, RequestValidationError } from '@watchfloor/platform';
import { IncidentChanges } from '../incidents/incident-changes';
import type { TriageIncident } from '../incidents/incident.record';
import { AcknowledgeIncident } from './acknowledge.usecase';
import type { StatusBody } from './dto/lifecycle.dto';
import { userInitiator } from './initiator';
import { IncidentMutation } from './incident-mutation';
import { illegalTransition } from './lifecycle.errors';

/**
 * A lifecycle transition (DOMAIN.md), guarded: an illegal one is a 409 naming where the
 * incident may go. `to: acknowledged` is an acknowledgement (its own event). Resolving
 * records the resolution; reopening (`resolved -> investigating`) clears it.
 */
@Injectable()
export class ChangeStatus {
  constructor(
    @Inject(IncidentMutation) private readonly mutation: IncidentMutation,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
    @Inject(AcknowledgeIncident) private readonly acknowledge: AcknowledgeIncident,
  ) {}

  async execute(caller: Caller, id: string, body: StatusBody, expectedVersion: number | undefined, correlationId: string): Promise<TriageIncident> {
    // The DTO checks the value; that it belongs only to a resolution is a rule across fields.
    if (body.resolution !== undefined && body.to !== 'resolved') {
      throw new RequestValidationError([{ field: 'resolution', message: 'resolution is given only when moving to resolved' }]);
    }
    return this.mutation.run(id, expectedVersion, async (manager, incident) => {
      if (!isAllowedTransition(incident.status, body.to)) throw illegalTransition(incident.status, body.to, INCIDENT_TRANSITIONS[incident.status]);
      if (body.to === 'acknowledged') return this.acknowledge.apply(manager, incident, caller, correlationId);
      const { incident: updated } = await this.changes.apply(manager, incident, {
        type: 'watchfloor.incident.status_changed.v1',
        data: {
          from: incident.status,
          to: body.to,
          ...(body.resolution ? { resolution: body.resolution } : {}),
          ...(body.note ? { note: body.note } : {}),
          by: userInitiator(caller),
        },
        set: { status: body.to, resolution: body.to === 'resolved' ? (body.resolution ?? null) : body.to === 'closed' ? incident.resolution : null },
        correlationId,
      });
      return updated;
    });
  }
}
