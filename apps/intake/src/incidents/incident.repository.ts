import { isUuid, type NormalizedSubmission, type TrackingStatus } from '@watchfloor/contracts';
import type { EntityManager } from 'typeorm';
import { type IncidentRecord, type Submitter, toIncidentRecord } from './incident.record';

/** What makes a request idempotent: the caller, its `Idempotency-Key`, and the hash of the body sent with it. */
export interface Idempotency {
  subject: string;
  key: string;
  requestHash: string;
}

/** A new incident row, with what makes its submission idempotent. */
export interface NewIncident {
  id: string;
  reference: string;
  submission: NormalizedSubmission;
  submittedBy: Submitter;
  idempotency?: Idempotency;
  receivedAt: Date;
}

/** A stored update of an incident. */
export interface IncidentUpdateRecord {
  id: string;
  incidentId: string;
  note: string | null;
  changes: Record<string, unknown>;
  submittedBy: Submitter;
  createdAt: string;
}

/** Which incidents a list may show: a jurisdiction subtree and, for most callers, a TLP ceiling. */
export interface IncidentListQuery {
  /** Only this OCD-ID and those inside it; none means every jurisdiction. */
  within?: string;
  /** TLP labels the caller may see; none means all. Own submissions are always visible. */
  tlpVisible?: readonly string[];
  viewerSub: string;
  status?: TrackingStatus;
  /** Only this exercise's incidents; none means real incidents only. */
  exercise?: string;
  since?: Date;
  /** Keyset: rows strictly older than this (received_at, id). */
  before?: { receivedAt: string; id: string };
  limit: number;
}

/** Unique constraints whose violation the submit use case turns into an answer. */
export const UNIQUE_CONSTRAINTS = {
  idempotency: 'incident_idempotency_unique',
  source: 'incident_source_unique',
} as const;

const COLUMNS = `id, reference, jurisdiction, tlp, submission, submitted_by, status, priority,
  acknowledged_at, history, version, received_at, updated_at`;

/** SQL of intake's tables; every method runs on the caller's transaction. */
export class IncidentRepository {
  async insert(manager: EntityManager, incident: NewIncident): Promise<void> {
    await this.insertAll(manager, [incident]);
  }

  /** Several new incidents in one statement (a group commit's). */
  async insertAll(manager: EntityManager, incidents: readonly NewIncident[]): Promise<void> {
    if (incidents.length === 0) return;
    const params: unknown[] = [];
    const rows = incidents.map((incident) => {
      const { submission } = incident;
      const base = params.length;
      params.push(
        incident.id, incident.reference, submission.jurisdiction, submission.category, submission.tlp,
        submission, incident.submittedBy, submission.source?.system ?? null, submission.source?.reference ?? null,
        incident.idempotency?.subject ?? null, incident.idempotency?.key ?? null, incident.idempotency?.requestHash ?? null,
        JSON.stringify([{ status: 'received', at: incident.receivedAt.toISOString() }]), incident.receivedAt,
      );
      const p = (n: number) => `$${base + n}`;
      return `(${[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14].map(p).join(', ')})`;
    });
    await manager.query(
      `INSERT INTO incident (id, reference, jurisdiction, category, tlp, submission, submitted_by,
         source_system, source_reference, idempotency_subject, idempotency_key, request_hash,
         history, received_at, updated_at)
       VALUES ${rows.join(', ')}`,
      params,
    );
  }

  /** The incident with this id; none for a malformed id (a caller's path), which names no incident. */
  async findById(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<IncidentRecord | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${COLUMNS} FROM incident WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`,
      [id.toLowerCase()],
    );
    return rows[0] && toIncidentRecord(rows[0]);
  }

  async findByIdempotencyKey(
    manager: EntityManager,
    subject: string,
    key: string,
  ): Promise<{ incident: IncidentRecord; requestHash: string } | undefined> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${COLUMNS}, request_hash FROM incident WHERE idempotency_subject = $1 AND idempotency_key = $2`,
      [subject, key],
    );
    return rows[0] && { incident: toIncidentRecord(rows[0]), requestHash: rows[0]['request_hash'] as string };
  }

  /** The incident of this source reference in `owner`'s namespace (`sourceOwner`). */
  async findBySource(manager: EntityManager, owner: string, system: string, reference: string, options: { lock?: boolean } = {}): Promise<IncidentRecord | undefined> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${COLUMNS} FROM incident WHERE source_owner = $1 AND source_system = $2 AND source_reference = $3${options.lock ? ' FOR UPDATE' : ''}`,
      [owner, system, reference],
    );
    return rows[0] && toIncidentRecord(rows[0]);
  }

  /** Newest first, keyset-paginated. */
  async list(manager: EntityManager, query: IncidentListQuery): Promise<IncidentRecord[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.within) {
      where.push(`(jurisdiction = ${param(query.within)} OR jurisdiction LIKE ${param(`${escapeLike(query.within)}/%`)})`);
    }
    if (query.tlpVisible) {
      where.push(`(tlp = ANY(${param(query.tlpVisible)}) OR submitted_by->>'sub' = ${param(query.viewerSub)})`);
    }
    if (query.status) where.push(`status = ${param(query.status)}`);
    // Exercise traffic stays out of the real lists; asked for by its id, it is all there is.
    where.push(query.exercise ? `exercise = ${param(query.exercise)}` : 'exercise IS NULL');
    if (query.since) where.push(`received_at >= ${param(query.since)}`);
    if (query.before) {
      where.push(`(received_at, id) < (${param(query.before.receivedAt)}::timestamptz, ${param(query.before.id)}::uuid)`);
    }
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${COLUMNS} FROM incident ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY received_at DESC, id DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return rows.map(toIncidentRecord);
  }

  /** Stores a merged submission as the incident's next version. */
  async saveSubmission(manager: EntityManager, incident: IncidentRecord, submission: NormalizedSubmission, at: Date): Promise<number> {
    const version = incident.version + 1;
    await manager.query(
      `UPDATE incident SET submission = $2, category = $3, tlp = $4, version = $5, updated_at = $6 WHERE id = $1`,
      [incident.id, submission, submission.category, submission.tlp, version, at],
    );
    return version;
  }

  async insertUpdate(manager: EntityManager, update: Omit<IncidentUpdateRecord, 'createdAt'> & { createdAt: Date; idempotency?: Idempotency }): Promise<void> {
    await manager.query(
      `INSERT INTO incident_update (id, incident_id, note, changes, submitted_by, created_at, idempotency_subject, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [update.id, update.incidentId, update.note, update.changes, update.submittedBy, update.createdAt, update.idempotency?.subject ?? null, update.idempotency?.key ?? null, update.idempotency?.requestHash ?? null],
    );
  }

  /** The update this caller already sent to this incident with this key, if any, and the hash of its body. */
  async findUpdateByIdempotencyKey(manager: EntityManager, incidentId: string, subject: string, key: string): Promise<{ updateId: string; requestHash: string } | undefined> {
    const rows: Array<{ id: string; request_hash: string }> = await manager.query(
      `SELECT id, request_hash FROM incident_update WHERE incident_id = $1 AND idempotency_subject = $2 AND idempotency_key = $3`,
      [incidentId, subject, key],
    );
    return rows[0] && { updateId: rows[0].id, requestHash: rows[0].request_hash };
  }

  async listUpdates(manager: EntityManager, incidentId: string): Promise<IncidentUpdateRecord[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT id, incident_id, note, changes, submitted_by, created_at FROM incident_update WHERE incident_id = $1 ORDER BY created_at, id`,
      [incidentId],
    );
    return rows.map((row) => ({
      id: row['id'] as string,
      incidentId: row['incident_id'] as string,
      note: (row['note'] as string | null) ?? null,
      changes: row['changes'] as Record<string, unknown>,
      submittedBy: row['submitted_by'] as Submitter,
      createdAt: (row['created_at'] as Date).toISOString(),
    }));
  }
}

/** Escapes LIKE wildcards: OCD-IDs may contain `_` (e.g. `county:st_louis`). */
function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
