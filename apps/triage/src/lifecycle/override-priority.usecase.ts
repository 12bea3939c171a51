import { Inject, Injectable } from '@nestjs/common';
import { CONFIG, type Caller } from '@watchfloor/platform';
import { Clock } from '@watchfloor/persistence';
import type { TriageEnv } from '../config';
import { deadlineAtLevel } from '../incidents/ack-deadline';
import { IncidentChanges } from '../incidents/incident-changes';
import type { TriageIncident } from '../incidents/incident.record';
import type { PriorityBody } from './dto/lifecycle.dto';
import { userInitiator } from './initiator';
import { IncidentMutation } from './incident-mutation';

/**
 * An officer sets the level, with a reason (DOMAIN.md): the computed level is kept beside
 * it and goes on being recomputed; later scoring never undoes the override. Raising it
 * before acknowledgement brings the deadline forward.
 */
@Injectable()
export class OverridePriority {
  constructor(
    @Inject(CONFIG) private readonly config: TriageEnv,
    @Inject(IncidentMutation) private readonly mutation: IncidentMutation,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  execute(caller: Caller, id: string, body: PriorityBody, expectedVersion: number | undefined, correlationId: string): Promise<TriageIncident> {
    return this.mutation.run(id, expectedVersion, async (manager, incident) => {
      const at = this.clock.now();
      const by = userInitiator(caller);
      const reason = body.reason.trim();
      const { incident: updated } = await this.changes.apply(manager, incident, {
        type: 'watchfloor.incident.reprioritized.v1',
        data: { from: incident.priority, to: body.level, reason, by, computed: incident.computedPriority },
        set: {
          priority: body.level,
          override: { level: body.level, reason, by, at: at.toISOString() },
          ackDeadline: deadlineAtLevel(this.config, incident, body.level, at),
        },
        correlationId,
        at,
      });
      return updated;
    });
  }
}
