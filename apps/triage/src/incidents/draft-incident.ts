import type { EventOf } from '@watchfloor/contracts';
import type { ScoreResult } from '../scoring/score';
import type { TriageIncident } from './incident.record';

/**
 * A reported incident as first stored: version 0, a draft. The row must exist to be
 * correlated; triaging it (in the same transaction) makes version 1, its first event.
 */
export function draftIncident(
  data: EventOf<'watchfloor.incident.reported.v1'>['data'],
  score: ScoreResult & { phase: TriageIncident['phase'] },
  now: Date,
): TriageIncident {
  const { submission } = data;
  return {
    id: data.incidentId,
    reference: data.reference,
    version: 0,
    status: 'new',
    resolution: null,
    priority: score.priority,
    computedPriority: score.priority,
    override: null,
    score: score.score,
    model: score.model,
    breakdown: score.breakdown,
    adjustments: score.adjustments,
    phase: score.phase,
    submission,
    fieldVersions: {},
    sourceVersion: data.version,
    submittedBy: data.submittedBy,
    assignee: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    ackDeadline: null,
    escalationLevel: 0,
    clusterId: null,
    jurisdiction: submission.jurisdiction,
    tlp: submission.tlp,
    category: submission.category,
    title: submission.title,
    receivedAt: new Date(data.receivedAt),
    triagedAt: now,
    updatedAt: now,
  };
}
