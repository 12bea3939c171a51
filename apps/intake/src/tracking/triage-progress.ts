import type { IncidentStatus, PriorityLevel, TrackingStatus } from '@watchfloor/contracts';

/** What one triage event says about an incident, in intake's terms. */
export interface TriageProgress {
  incidentId: string;
  /** Triage's version of the incident after the change. */
  version: number;
  /** When triage made the change (the event's time). */
  at: string;
  status?: TrackingStatus;
  priority?: PriorityLevel;
  acknowledgedAt?: string;
  resolution?: string;
  /** The exercise of the incident, if any: its rows may have been purged (docs/exercises.md). */
  exercise?: string;
}

/** Triage's `new` is what the submitter sees as `triaged`; the other statuses read the same. */
export function trackingStatusOf(status: IncidentStatus): TrackingStatus {
  return status === 'new' ? 'triaged' : status;
}
