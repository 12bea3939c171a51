import { Inject, Injectable } from '@nestjs/common';
import type { Initiator } from '@watchfloor/contracts';
import { CONFIG } from '@watchfloor/platform';
import type { EntityManager } from 'typeorm';
import type { TriageEnv } from '../config';
import type { ScoreResult } from '../scoring/score';
import { deadlineAtLevel } from './ack-deadline';
import { IncidentChanges } from './incident-changes';
import type { IncidentPatch, TriageIncident } from './incident.record';

/** Why an incident is being scored again. */
export type RescoreCause = 'triage' | 'update' | 'campaign';

/**
 * Stores a (re)computed score on a locked incident and announces it. The effective level
 * stays the officer's override when there is one; the computed level is kept beside it.
 * A campaign raise that changes the effective level is `incident.reprioritized` (by the
 * `campaign` rule); any other scoring is `incident.triaged` with the full breakdown.
 */
@Injectable()
export class ApplyScore {
  constructor(
    @Inject(CONFIG) private readonly config: TriageEnv,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
  ) {}

  async execute(
    manager: EntityManager,
    incident: TriageIncident,
    result: ScoreResult & { phase: TriageIncident['phase'] },
    context: { cause: RescoreCause; correlationId: string; at: Date; set?: IncidentPatch },
  ): Promise<TriageIncident> {
    const effective = incident.override?.level ?? result.priority;
    const ackDeadline = deadlineAtLevel(this.config, incident, effective, context.at);
    const set: IncidentPatch = {
      ...context.set,
      score: result.score,
      model: result.model,
      breakdown: result.breakdown,
      adjustments: result.adjustments,
      phase: result.phase,
      computedPriority: result.priority,
      priority: effective,
      ackDeadline,
    };
    if (context.cause === 'campaign' && effective !== incident.priority) {
      const campaign = result.adjustments.find((a) => a.kind === 'campaign');
      const by: Initiator = { kind: 'system', rule: 'campaign' };
      const { incident: updated } = await this.changes.apply(manager, incident, {
        type: 'watchfloor.incident.reprioritized.v1',
        data: { from: incident.priority, to: effective, reason: campaign?.reason ?? 'part of a campaign', by },
        set,
        correlationId: context.correlationId,
        at: context.at,
      });
      return updated;
    }
    const clusterId = set.clusterId ?? incident.clusterId;
    const { incident: updated } = await this.changes.apply(manager, incident, {
      type: 'watchfloor.incident.triaged.v1',
      data: {
        priority: effective,
        score: result.score,
        model: result.model,
        breakdown: result.breakdown,
        adjustments: result.adjustments,
        phase: result.phase,
        ...(clusterId ? { clusterId } : {}),
        ...(ackDeadline ? { ackDeadline: ackDeadline.toISOString() } : {}),
      },
      set,
      by: { kind: 'system', rule: context.cause === 'triage' ? 'scoring' : context.cause === 'update' ? 'rescoring' : 'campaign' },
      correlationId: context.correlationId,
      at: context.at,
    });
    return updated;
  }
}
