import { Inject, Injectable } from '@nestjs/common';
import type { Initiator } from '@watchfloor/contracts';
import { CONFIG } from '@watchfloor/platform';
import type { EntityManager } from 'typeorm';
import type { TriageEnv } from '../config';
import type { ScoreResult } from '../scoring/score';
import { deadlineAtLevel } from './ack-deadline';
import { IncidentChanges, type IncidentChange } from './incident-changes';
import type { IncidentPatch, TriageIncident } from './incident.record';
import { IncidentRepository } from './incident.repository';

/** Why an incident is being scored again. */
export type RescoreCause = 'update' | 'campaign';

type ScoreOutcome = ScoreResult & { phase: TriageIncident['phase'] };
type ScorePatch = IncidentPatch & Pick<TriageIncident, 'priority' | 'ackDeadline'>;

/**
 * Stores a (re)computed score on a locked incident and announces it. The effective level
 * stays the officer's override when there is one; the computed level is kept beside it.
 * An incident is triaged once (`incident.triaged`, version 1, with the full breakdown), so
 * that a SOAR opening a ticket per triaged incident opens one. Later scoring (an update, a
 * campaign) that moves the level is `incident.reprioritized` (rule `rescoring` or
 * `campaign`); one that does not move it is stored (the detail shows the new breakdown).
 */
@Injectable()
export class ApplyScore {
  constructor(
    @Inject(CONFIG) private readonly config: TriageEnv,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
  ) {}

  /** The score of a locked incident scored again: stored, and announced when its level moves. */
  async execute(
    manager: EntityManager,
    incident: TriageIncident,
    result: ScoreOutcome,
    context: { cause: RescoreCause; correlationId: string; at: Date; set?: IncidentPatch },
  ): Promise<TriageIncident> {
    const set = this.scorePatch(incident, result, context);
    // Triaged once: later scoring that moves the level is a reprioritisation; one that does not is stored quietly.
    if (set.priority === incident.priority) {
      await this.incidents.store(manager, incident.id, set);
      return { ...incident, ...definedOnly(set) };
    }
    const by: Initiator = { kind: 'system', rule: context.cause === 'campaign' ? 'campaign' : 'rescoring' };
    const { incident: updated } = await this.changes.apply(manager, incident, {
      type: 'watchfloor.incident.reprioritized.v1',
      data: { from: incident.priority, to: set.priority, reason: reasonFor(context.cause, result), by, ...(incident.override ? { computed: result.priority } : {}) },
      set,
      correlationId: context.correlationId,
      at: context.at,
    });
    return updated;
  }

  /** The first score of a new incident, as the change that triages it (for {@link IncidentChanges.applyAll}). */
  triage(incident: TriageIncident, result: ScoreOutcome, context: { correlationId: string; at: Date; set?: IncidentPatch }): IncidentChange<'watchfloor.incident.triaged.v1'> {
    const set = this.scorePatch(incident, result, context);
    const clusterId = set.clusterId ?? incident.clusterId;
    return {
      type: 'watchfloor.incident.triaged.v1',
      data: {
        priority: set.priority,
        score: result.score,
        model: result.model,
        breakdown: result.breakdown,
        adjustments: result.adjustments,
        phase: result.phase,
        ...(clusterId ? { clusterId } : {}),
        ...(set.ackDeadline ? { ackDeadline: set.ackDeadline.toISOString() } : {}),
      },
      set,
      by: { kind: 'system', rule: 'scoring' },
      correlationId: context.correlationId,
      at: context.at,
    };
  }

  /** The columns a score sets; the effective level stays the officer's override when there is one. */
  private scorePatch(incident: TriageIncident, result: ScoreOutcome, context: { at: Date; set?: IncidentPatch }): ScorePatch {
    const effective = incident.override?.level ?? result.priority;
    return {
      ...context.set,
      score: result.score,
      model: result.model,
      breakdown: result.breakdown,
      adjustments: result.adjustments,
      phase: result.phase,
      computedPriority: result.priority,
      priority: effective,
      ackDeadline: deadlineAtLevel(this.config, incident, effective, context.at),
    };
  }
}

/** Why the level moved, in a line an officer reads: the new score and the adjustments that made the level. */
function reasonFor(cause: RescoreCause, result: ScoreResult): string {
  const campaign = result.adjustments.find((a) => a.kind === 'campaign');
  if (cause === 'campaign' && campaign) return campaign.reason;
  const adjusted = result.adjustments.map((a) => `${a.kind} ${a.from} -> ${a.to}`).join(', ');
  return `re-scored after new information: ${result.score} (${result.model})${adjusted ? `, ${adjusted}` : ''}`;
}

function definedOnly(patch: IncidentPatch): IncidentPatch {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
