import type { EventType, Tlp } from '@watchfloor/contracts';
import { callApi, queryString } from './http';
import type { Page } from './intake';
import { ApiProblem } from './problem';

/** One entry of the hash-chained log (docs/audit.md, The chain). */
export interface AuditEntry {
  sequence: number;
  eventId: string;
  type: EventType;
  subject: string;
  incidentIds: string[];
  /** A person's `sub`, or `system:<rule or service>`. */
  actor: string | null;
  tlp: Tlp;
  occurredAt: string;
  recordedAt: string;
  eventHash: string;
  prevHash: string;
  hash: string;
  /** The event is above the caller's clearance: its place and hashes stay, its content does not. */
  withheld: boolean;
  exercise?: string;
  /** The CloudEvent as recorded; null when withheld. */
  event: { data?: Record<string, unknown> } | null;
}

/** `GET /v1/audit/verify`. */
export interface ChainReport {
  valid: boolean;
  entries: number;
  head: { sequence: number; hash: string };
  firstInvalidSequence?: number;
  reason?: string;
  checkpointsVerified: number;
  entriesAfterLastCheckpoint: number;
  eventsWithheld: number;
  unknownKeys?: Array<{ keyId: string; checkpoints: number; firstSequence: number; lastSequence: number }>;
  verifiedAt: string;
  durationMs: number;
}

export type ExportFormat = 'jsonl' | 'csv';

export const readTimeline = (token: string, incidentId: string, cursor?: string) =>
  callApi<Page<AuditEntry> & { incidentId: string }>('audit', `/v1/audit/incidents/${encodeURIComponent(incidentId)}/timeline${queryString({ limit: 200, cursor })}`, token).then(
    (r) => r.body,
  );

/** The incidents the record holds, by their reports, in chain order (oldest first). */
export const listRecordedReports = (token: string, cursor?: string) =>
  callApi<Page<AuditEntry>>('audit', `/v1/audit/entries${queryString({ type: 'watchfloor.incident.reported.v1', limit: 50, cursor })}`, token).then((r) => r.body);

export const verifyChain = (token: string) => callApi<ChainReport>('audit', '/v1/audit/verify', token).then((r) => r.body);

/**
 * The export as a file. A plain link cannot carry the bearer token, so it is fetched and
 * handed to the browser as a blob: fine for the sizes a console user downloads; the CLI
 * (`curl` + `npm run audit:verify`) is the way for a million entries.
 */
export async function fetchExport(token: string, format: ExportFormat): Promise<{ blob: Blob; fileName: string }> {
  const response = await fetch(`/api/audit/v1/audit/export${queryString({ format })}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) throw await ApiProblem.from(response);
  const disposition = response.headers.get('content-disposition') ?? '';
  const fileName = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `watchfloor-audit.${format}`;
  return { blob: await response.blob(), fileName };
}
