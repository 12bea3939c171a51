import type { ElectionAsset, IncidentCategory, IncidentImpacts, ObservableType, PriorityLevel, Tlp, TrackingStatus } from '@watchfloor/contracts';
import { callApi, queryString } from './http';

/** The body of intake's `POST /v1/incidents`, as the report form builds it. */
export interface ReportBody {
  title: string;
  description: string;
  category?: IncidentCategory;
  jurisdiction: string;
  occurredAt?: string;
  detectedAt?: string;
  affectedAssets: ElectionAsset[];
  impacts: Partial<IncidentImpacts>;
  observables: Array<{ type: ObservableType; value: string }>;
  tlp: Tlp;
  reporter: { name: string; email?: string; phone?: string; title?: string };
}

/** intake's 201: the receipt. */
export interface Receipt {
  id: string;
  reference: string;
  status: TrackingStatus;
  receivedAt: string;
}

/** One line of intake's `GET /v1/incidents`. */
export interface ReportSummary {
  id: string;
  reference: string;
  title: string;
  category: IncidentCategory;
  jurisdiction: string;
  tlp: Tlp;
  status: TrackingStatus;
  priority: PriorityLevel | null;
  acknowledgedAt: string | null;
  receivedAt: string;
  updatedAt: string;
  /** Set for exercise traffic (docs/exercises.md). */
  exercise?: string;
}

/** intake's `GET /v1/incidents/:id`: the submission and how triage is getting on with it. */
export interface ReportDetail extends ReportSummary {
  description: string;
  affectedAssets: ElectionAsset[];
  observables: Array<{ type: ObservableType; value: string }>;
  history: Array<{ status: TrackingStatus; at: string }>;
  impacts: Partial<IncidentImpacts>;
  updates: Array<{
    id: string;
    note?: string | null;
    observables?: Array<{ type: ObservableType; value: string }>;
    affectedAssets?: ElectionAsset[];
    impacts?: Partial<IncidentImpacts>;
    receivedAt: string;
  }>;
}

/** The body of intake's `POST /v1/incidents/:id/updates`: a note and/or clues and systems to add, impact fields to set. */
export interface UpdateBody {
  note?: string;
  observables?: Array<{ type: ObservableType; value: string }>;
  affectedAssets?: ElectionAsset[];
  impacts?: Partial<IncidentImpacts>;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export const submitReport = (token: string, body: ReportBody, idempotencyKey: string) =>
  callApi<Receipt>('intake', '/v1/incidents', token, { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } }).then((r) => r.body);

export const listReports = (token: string, status?: TrackingStatus) =>
  callApi<Page<ReportSummary>>('intake', `/v1/incidents${queryString({ limit: 50, status })}`, token).then((r) => r.body);

export const readReport = (token: string, id: string) => callApi<ReportDetail>('intake', `/v1/incidents/${encodeURIComponent(id)}`, token).then((r) => r.body);

export const addReportUpdate = (token: string, id: string, body: UpdateBody, idempotencyKey: string) =>
  callApi<{ updateId: string }>('intake', `/v1/incidents/${encodeURIComponent(id)}/updates`, token, { method: 'POST', body, headers: { 'idempotency-key': idempotencyKey } }).then((r) => r.body);
