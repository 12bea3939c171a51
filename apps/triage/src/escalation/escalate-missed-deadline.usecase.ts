import { Inject, Injectable } from '@nestjs/common';
import type { Initiator } from '@watchfloor/contracts';
import { Clock } from '@watchfloor/persistence';
import { CONFIG, counter } from '@watchfloor/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { ackDeadlineSeconds, type TriageEnv } from '../config';
import { IncidentChanges } from '../incidents/incident-changes';
import { exerciseOf, type TriageIncident } from '../incidents/incident.record';
import { IncidentRepository } from '../incidents/incident.repository';
import { OnCallRoster } from '../oncall/oncall-roster';
import type { Rotation } from '../oncall/rotation';
import { nextEscalationDue } from './escalation-schedule';
import { EscalationRepository } from './escalation.repository';

/** The rule named in `by` of deadline escalations and their timeline entries. */
const ACK_DEADLINE_RULE: Initiator = { kind: 'system', rule: 'ack_deadline' };

const escalations = counter<'level'>({
  name: 'triage_escalations_total',
  help: 'incident.escalated events emitted for missed acknowledgement deadlines, by level (1, 2, 3+)',
  labelNames: ['level'],
});

/** One escalation that committed. */
export interface Escalated {
  incidentId: string;
  level: number;
  /** Set for an exercise incident (kept out of the metrics). */
  exercise?: string;
}

/**
 * Escalates the most overdue unacknowledged incidents, up to `limit`, in one transaction:
 * it claims their rows (`FOR UPDATE SKIP LOCKED`, so another replica takes others), raises
 * each `escalation_level`, emits `incident.escalated` through the outbox and schedules the
 * next escalation. One failure rolls back the whole claim; the scanner then goes one by one
 * (`limit` 1), where a failure names its incident ({@link EscalationFailedError}).
 */
@Injectable()
export class EscalateMissedDeadline {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(CONFIG) private readonly config: TriageEnv,
    @Inject(EscalationRepository) private readonly escalationRepository: EscalationRepository,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
    @Inject(OnCallRoster) private readonly roster: OnCallRoster,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The escalations committed (none when nothing was due at `now`, Postgres's time by default). */
  async execute(now: Date = this.clock.now(), limit = 1): Promise<Escalated[]> {
    const escalated = await this.dataSource.transaction(async (manager) => {
      const due = await this.escalationRepository.claimDue(manager, now, limit);
      if (due.length === 0) return [];
      const missedById = new Map(due.map((claim) => [claim.incidentId, claim.due]));
      // Already locked by the claim; read through the core's repository for whole rows.
      const incidents = await this.incidents.findManyForUpdate(manager, [...missedById.keys()]);
      const done: Escalated[] = [];
      for (const incident of incidents) {
        const missed = missedById.get(incident.id);
        if (!missed) continue;
        try {
          // An exercise incident escalates to its exercise's contacts, never to real staff.
          const rotation = (await this.roster.current(manager, exerciseOf(incident)))?.rotation;
          const level = await this.escalate(manager, incident, missed, now, rotation);
          const exercise = exerciseOf(incident);
          done.push({ incidentId: incident.id, level, ...(exercise === undefined ? {} : { exercise }) });
        } catch (error) {
          throw new EscalationFailedError(incident.id, error);
        }
      }
      return done;
    });
    for (const { level, exercise } of escalated) if (exercise === undefined) escalations.inc({ level: level >= 3 ? '3+' : String(level) });
    return escalated;
  }

  /** Raises the level, emits the event and schedules the next escalation; returns the new level. */
  private async escalate(manager: EntityManager, incident: TriageIncident, missed: Date, now: Date, rotation: Rotation | undefined): Promise<number> {
    const level = incident.escalationLevel + 1;
    const next = nextEscalationDue(
      { due: missed, level, periodSeconds: ackDeadlineSeconds(this.config, incident.priority) },
      now,
      this.config.TRIAGE_ESCALATION_MAX_LEVEL,
    );
    const escalatedTo = rotation?.escalationContact(level);
    await this.changes.apply(manager, incident, {
      type: 'watchfloor.incident.escalated.v1',
      data: {
        priority: incident.priority,
        level,
        reason: 'ack_deadline_missed',
        deadline: missed.toISOString(),
        ...(next === undefined ? {} : { nextDeadline: next.toISOString() }),
        ...(escalatedTo === undefined ? {} : { escalatedTo }),
        by: ACK_DEADLINE_RULE,
      },
      set: { escalationLevel: level },
      correlationId: uuidv7(),
      at: now,
    });
    await this.escalationRepository.scheduleNext(manager, incident.id, next);
    return level;
  }
}

/** Escalating one claimed incident failed (the transaction rolled back); the scanner puts it aside for a while. */
export class EscalationFailedError extends Error {
  constructor(
    readonly incidentId: string,
    cause: unknown,
  ) {
    super(`escalating incident ${incidentId} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
