import type { NormalizedSubmission, PriorityLevel, TrackingStatus } from '@watchfloor/contracts';

/** Who submitted an incident or an update, from the caller's token. */
export interface Submitter {
  sub: string;
  name: string;
  org?: string;
}

/** One entry of the submitter-facing status history. */
export interface StatusChange {
  status: TrackingStatus;
  at: string;
  /** Triage's version of the incident that made the change (none for `received`). */
  version?: number;
  /** Why it was resolved, for `resolved`. */
  resolution?: string;
}

/** An incident as intake stores it (one row of `intake.incident`). */
export interface IncidentRecord {
  id: string;
  reference: string;
  jurisdiction: string;
  tlp: NormalizedSubmission['tlp'];
  submission: NormalizedSubmission;
  submittedBy: Submitter;
  status: TrackingStatus;
  priority: PriorityLevel | null;
  acknowledgedAt: string | null;
  history: StatusChange[];
  version: number;
  receivedAt: string;
  updatedAt: string;
}

/** What `POST /v1/incidents` answers with 201 (and again for a repeated Idempotency-Key). */
export interface IncidentReceipt {
  id: string;
  reference: string;
  status: 'received';
  receivedAt: string;
  /** Set for an exercise's report: the receipt says so, as everything of an exercise does. */
  exercise?: string;
}

/** The receipt of a stored submission. */
export function incidentReceipt(incident: { id: string; reference: string; receivedAt: Date | string; exercise?: string | undefined }): IncidentReceipt {
  const receivedAt = typeof incident.receivedAt === 'string' ? incident.receivedAt : incident.receivedAt.toISOString();
  return { id: incident.id, reference: incident.reference, status: 'received', receivedAt, ...(incident.exercise === undefined ? {} : { exercise: incident.exercise }) };
}

/** Reads a `pg` row of `intake.incident` (snake_case, Date values) into an {@link IncidentRecord}. */
export function toIncidentRecord(row: Record<string, unknown>): IncidentRecord {
  return {
    id: row['id'] as string,
    reference: row['reference'] as string,
    jurisdiction: row['jurisdiction'] as string,
    tlp: row['tlp'] as IncidentRecord['tlp'],
    submission: row['submission'] as NormalizedSubmission,
    submittedBy: row['submitted_by'] as Submitter,
    status: row['status'] as TrackingStatus,
    priority: (row['priority'] as PriorityLevel | null) ?? null,
    acknowledgedAt: iso(row['acknowledged_at']),
    history: row['history'] as StatusChange[],
    version: row['version'] as number,
    receivedAt: iso(row['received_at']) as string,
    updatedAt: iso(row['updated_at']) as string,
  };
}

function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(value as string).toISOString();
}
