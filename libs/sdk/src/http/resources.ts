import type { NormalizedSubmission, PriorityLevel, TrackingStatus } from '@watchfloor/contracts';

/** What `submitIncident` resolves to. */
export interface SubmissionResult {
  /**
   * `true`: a new incident (201; also for a repeat of the same Idempotency-Key and body).
   * `false`: the same `source.system` + `source.reference` as an earlier incident (200),
   * which took what changed as an update. A repeat carrying both the same key and the same
   * source reference may come back either way: the same incident in both cases.
   */
  created: boolean;
  id: string;
  /** The receipt, `WF-<year>-<6 digits>`. */
  reference: string;
  status: TrackingStatus;
  receivedAt: string;
  /** The key sent with every attempt: keep it to submit the same report again safely later. */
  idempotencyKey: string;
}

/** One entry of an incident's status history, as its submitter sees it. */
export interface StatusChange {
  status: TrackingStatus;
  at: string;
  version?: number;
  resolution?: string;
}

/** An update added to an incident (`addUpdate`, or a re-submission with the same source reference). */
export interface IncidentUpdateView {
  id: string;
  note: string | null;
  observables?: NormalizedSubmission['observables'];
  affectedAssets?: NormalizedSubmission['affectedAssets'];
  impacts?: Partial<NormalizedSubmission['impacts']>;
  submittedBy: { sub: string; name?: string; org?: string };
  receivedAt: string;
}

/** `GET /v1/incidents/:id`: the stored submission with triage's progress as intake tracks it. */
export type IncidentView = NormalizedSubmission & {
  id: string;
  reference: string;
  status: TrackingStatus;
  priority: PriorityLevel | null;
  acknowledgedAt: string | null;
  history: StatusChange[];
  submittedBy: { sub: string; name: string; org?: string };
  receivedAt: string;
  updatedAt: string;
  version: number;
  updates: IncidentUpdateView[];
};

/** What `addUpdate` resolves to. */
export interface UpdateReceipt {
  updateId: string;
}
