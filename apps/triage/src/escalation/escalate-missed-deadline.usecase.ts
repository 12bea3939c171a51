import { Inject, Injectable } from '@nestjs/common';
import type { Initiator } from '@watchfloor/contracts';
import { CONFIG, counter } from '@watchfloor/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import { ackDeadlineSeconds, type TriageEnv } from '../config';
import { IncidentChanges } from '../incidents/incident-changes';
import type { TriageIncident } from '../incidents/incident.record';
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

/**
 * Escalates the most overdue unacknowledged incident, if any: in one transaction it claims
 * the row (`FOR UPDATE SKIP LOCKED`), raises `escalation_level`, emits
 * `incident.escalated` through the outbox and schedules the next escalation.
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
  ) {}

  /** The incident escalated and its new level, or undefined when nothing was due. */
  async execute(now: Date = new Date()): Promise<{ incidentId: string; level: number } | undefined> {
    const escalated = await this.dataSource.transaction(async (manager) => {
      const due = await this.escalationRepository.claimNextDue(manager, now);
      if (!due) return undefined;
      // Already locked by the claim; read through the core's repository for the whole row.
      const incident = await this.incidents.findById(manager, due.incidentId, { lock: true });
      if (!incident) return undefined;
      try {
        return { incidentId: incident.id, level: await this.escalate(manager, incident, due.due, now) };
      } catch (error) {
        throw new EscalationFailedError(incident.id, error);
      }
    });
    if (escalated) escalations.inc({ level: escalated.level >= 3 ? '3+' : String(escalated.level) });
    return escalated;
  }

  /** Raises the level, emits the event and schedules the next escalation; returns the new level. */
  private async escalate(manager: EntityManager, incident: TriageIncident, missed: Date, now: Date): Promise<number> {
    const level = incident.escalationLevel + 1;
    const next = nextEscalationDue(
      { due: missed, level, periodSeconds: ackDeadlineSeconds(this.config, incident.priority) },
      now,
      this.config.TRIAGE_ESCALATION_MAX_LEVEL,
    );
    const escalatedTo = await this.roster.escalationContact(level, manager);
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
