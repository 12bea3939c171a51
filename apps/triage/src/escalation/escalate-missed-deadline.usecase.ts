import { Inject, Injectable } from '@nestjs/common';
import type { Initiator } from '@watchfloor/contracts';
import { Clock } from '@watchfloor/persistence';
import { CONFIG, counter } from '@watchfloor/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { ackDeadlineSeconds, type TriageEnv } from '../config';
import { type IncidentChange, IncidentChanges } from '../incidents/incident-changes';
import { exerciseOf, type TriageIncident } from '../incidents/incident.record';
import { IncidentRepository } from '../incidents/incident.repository';
import { OnCallRoster } from '../oncall/oncall-roster';
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

/** One claimed incident's escalation, planned before anything is written. */
interface Planned {
  incident: TriageIncident;
  change: IncidentChange<'watchfloor.incident.escalated.v1'>;
  next: Date | undefined;
}

/**
 * Escalates the most overdue unacknowledged incidents, up to `limit`, in one transaction:
 * it claims their rows (`FOR UPDATE SKIP LOCKED`, so another replica takes others), raises
 * each `escalation_level`, emits `incident.escalated` through the outbox and schedules the
 * next escalation, a fixed number of statements whatever the claim's size. One failure rolls
 * back the whole claim; the scanner then goes one by one (`limit` 1), where a failure names
 * its incident ({@link EscalationFailedError}).
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
    const escalated = await this.dataSource.transaction((manager) => this.escalateDue(manager, now, limit));
    for (const { level, exercise } of escalated) if (exercise === undefined) escalations.inc({ level: level >= 3 ? '3+' : String(level) });
    return escalated;
  }

  /** {@link execute} in the caller's transaction (which commits or rolls back all of it). */
  async escalateDue(manager: EntityManager, now: Date, limit: number): Promise<Escalated[]> {
    const due = await this.escalationRepository.claimDue(manager, now, limit);
    if (due.length === 0) return [];
    const missedById = new Map(due.map((claim) => [claim.incidentId, claim.due]));
    // Already locked by the claim; read through the core's repository for whole rows.
    const incidents = await this.incidents.findManyForUpdate(manager, [...missedById.keys()]);
    const planned: Planned[] = [];
    for (const incident of incidents) {
      const missed = missedById.get(incident.id);
      if (!missed) continue;
      try {
        planned.push(await this.plan(manager, incident, missed, now));
      } catch (error) {
        throw new EscalationFailedError([incident.id], error);
      }
    }
    try {
      await this.changes.applyAllMany(manager, planned.map(({ incident, change }) => ({ incident, changes: [change] })));
      await this.escalationRepository.scheduleAll(manager, planned.map(({ incident, next }) => ({ incidentId: incident.id, next })));
    } catch (error) {
      // Written together, so the failure cannot say whose it was: the scanner goes one by one.
      throw new EscalationFailedError(planned.map(({ incident }) => incident.id), error);
    }
    return planned.map(({ incident, change }) => {
      const exercise = exerciseOf(incident);
      return { incidentId: incident.id, level: change.data.level, ...(exercise === undefined ? {} : { exercise }) };
    });
  }

  /** The next level, its event and when the one after falls due. */
  private async plan(manager: EntityManager, incident: TriageIncident, missed: Date, now: Date): Promise<Planned> {
    // An exercise incident escalates to its exercise's contacts, never to real staff.
    const rotation = (await this.roster.current(manager, exerciseOf(incident)))?.rotation;
    const level = incident.escalationLevel + 1;
    const next = nextEscalationDue(
      { due: missed, level, periodSeconds: ackDeadlineSeconds(this.config, incident.priority) },
      now,
      this.config.TRIAGE_ESCALATION_MAX_LEVEL,
    );
    const escalatedTo = rotation?.escalationContact(level);
    const change: IncidentChange<'watchfloor.incident.escalated.v1'> = {
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
    };
    return { incident, change, next };
  }
}

/**
 * Escalating claimed incidents failed (the transaction rolled back): one named incident, or
 * a claim written together. The scanner retries a claim one by one and puts a single
 * incident that fails aside for a while.
 */
export class EscalationFailedError extends Error {
  constructor(
    readonly incidentIds: readonly string[],
    cause: unknown,
  ) {
    super(`escalating ${incidentIds.length === 1 ? `incident ${incidentIds[0]}` : `${incidentIds.length} incidents`} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}
