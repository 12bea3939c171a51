import type { ChainLink } from './chain-verifier';

/** An event about to be appended: everything but its place in the chain. */
export interface NewEntry {
  eventId: string;
  type: string;
  subject: string;
  incidentIds: string[];
  actor: string | null;
  tlp: string;
  /** ISO 8601 UTC with milliseconds. */
  occurredAt: string;
  /** The event's canonical JSON. */
  event: string;
}

/** An entry as stored: a chain link with its event. */
export type AuditEntry = ChainLink & { event: string };

/** Columns of `entry`, in the order {@link entryOfRow} reads them. */
export const ENTRY_COLUMNS = 'sequence, event_id, type, subject, incident_ids, actor, tlp, occurred_at, recorded_at, event, event_hash, prev_hash, hash';

/** A row of `entry` as node-postgres returns it. */
export interface EntryRow {
  sequence: string;
  event_id: string;
  type: string;
  subject: string;
  incident_ids: string[];
  actor: string | null;
  tlp: string;
  occurred_at: Date;
  recorded_at: Date;
  event: string;
  event_hash: string;
  prev_hash: string;
  hash: string;
}

/** Maps a row to an entry; times in the form the hash covers. */
export function entryOfRow(row: EntryRow): AuditEntry {
  return {
    sequence: Number(row.sequence),
    eventId: row.event_id,
    type: row.type,
    subject: row.subject,
    incidentIds: row.incident_ids,
    actor: row.actor,
    tlp: row.tlp,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    event: row.event,
    eventHash: row.event_hash,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
