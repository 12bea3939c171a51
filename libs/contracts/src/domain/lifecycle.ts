/** Triage's incident lifecycle. */
export const INCIDENT_STATUSES = ['new', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses from which an incident may still be resolved. */
export const OPEN_INCIDENT_STATUSES = ['new', 'acknowledged', 'investigating', 'mitigated'] as const satisfies readonly IncidentStatus[];

/**
 * Allowed transitions: forward one step, any open state to `resolved`, `resolved` back to
 * `investigating` (reopen) or on to `closed`; `closed` is final.
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentStatus, readonly IncidentStatus[]>> = {
  new: ['acknowledged', 'resolved'],
  acknowledged: ['investigating', 'resolved'],
  investigating: ['mitigated', 'resolved'],
  mitigated: ['resolved'],
  resolved: ['investigating', 'closed'],
  closed: [],
};

/** Whether triage may move an incident from `from` to `to`. */
export function isAllowedTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return INCIDENT_TRANSITIONS[from].includes(to);
}

/** The status intake shows the submitter (`GET /v1/incidents/:id`). */
export const TRACKING_STATUSES = ['received', 'triaged', 'acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'] as const;
export type TrackingStatus = (typeof TRACKING_STATUSES)[number];

/** Why an incident was resolved (required when moving to `resolved`). */
export const RESOLUTIONS = [
  'contained',
  'mitigated',
  'false_positive',
  'duplicate',
  'information_only',
  'referred_to_law_enforcement',
  'benign',
] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** Why an incident was escalated. */
export const ESCALATION_REASONS = ['ack_deadline_missed', 'manual'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];
