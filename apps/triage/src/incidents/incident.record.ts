import type {
  ElectionPhase,
  IncidentCategory,
  IncidentStatus,
  Initiator,
  NormalizedSubmission,
  PriorityAdjustment,
  PriorityLevel,
  PrincipalRef,
  Resolution,
  ScoreContribution,
  Tlp,
} from '@watchfloor/contracts';

/** A triage officer's override of the computed level (DOMAIN.md: mandatory reason, computed level kept). */
export interface PriorityOverride {
  level: PriorityLevel;
  reason: string;
  by: Initiator;
  at: string;
}

/** One row of `triage.incident`: what triage knows and decided about an incident. */
export interface TriageIncident {
  id: string;
  reference: string;
  /** Triage's counter: +1 on every change, carried by every event triage emits about it. */
  version: number;
  status: IncidentStatus;
  resolution: Resolution | null;
  /** The effective level: the override if any, else the computed one. */
  priority: PriorityLevel;
  computedPriority: PriorityLevel;
  override: PriorityOverride | null;
  score: number;
  model: string;
  breakdown: ScoreContribution[];
  adjustments: PriorityAdjustment[];
  phase: ElectionPhase;
  /** The submission as intake's updates have left it (inputs of the score). */
  submission: NormalizedSubmission;
  /** For each replaceable field, intake's version that last set it (out-of-order updates converge). */
  fieldVersions: Record<string, number>;
  /** Highest intake version applied. */
  sourceVersion: number;
  submittedBy: PrincipalRef;
  assignee: string | null;
  acknowledgedAt: Date | null;
  acknowledgedBy: Initiator | null;
  ackDeadline: Date | null;
  escalationLevel: number;
  clusterId: string | null;
  jurisdiction: string;
  tlp: Tlp;
  category: IncidentCategory;
  title: string;
  receivedAt: Date;
  triagedAt: Date;
  updatedAt: Date;
}

/** The exercise an incident belongs to (from its submission); undefined for a real incident. */
export function exerciseOf(incident: Pick<TriageIncident, 'submission'>): string | undefined {
  return incident.submission.exercise;
}

/** Columns a change may set (everything but identity, version and timestamps kept by the store). */
export type IncidentPatch = Partial<Omit<TriageIncident, 'id' | 'reference' | 'version' | 'receivedAt' | 'triagedAt' | 'updatedAt'>>;
