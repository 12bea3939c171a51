import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** `prev_hash` of the first entry: 32 zero bytes. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What an entry's hash covers besides the previous hash. The event itself is covered by
 * its digest (`eventHash`), so an entry whose event is withheld (TLP) still verifies.
 */
export interface ChainedFields {
  sequence: number;
  eventId: string;
  type: string;
  /** The subject the event was published on, without a test namespace: `incident.reported.ga`. */
  subject: string;
  /** Incidents the event concerns (one, or a cluster's, or none). */
  incidentIds: readonly string[];
  /** `sub` of a person, `system:<rule or service>` otherwise. */
  actor: string | null;
  tlp: string;
  /** The event's `time`, ISO 8601 UTC with milliseconds. */
  occurredAt: string;
  /** When audit appended it, ISO 8601 UTC with milliseconds. */
  recordedAt: string;
  /** SHA-256 (hex) of the event's canonical JSON. */
  eventHash: string;
}

/** The RFC 8785 (JCS) canonical JSON of a value. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value has no JSON form');
  return text;
}

/** SHA-256 of a text's UTF-8 bytes, lower-case hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The canonical JSON of an entry's chained fields: what its hash covers after `prev_hash`. */
export function canonicalEntry(fields: ChainedFields): string {
  return canonicalJson({
    sequence: fields.sequence,
    eventId: fields.eventId,
    type: fields.type,
    subject: fields.subject,
    incidentIds: fields.incidentIds,
    actor: fields.actor,
    tlp: fields.tlp,
    occurredAt: fields.occurredAt,
    recordedAt: fields.recordedAt,
    eventHash: fields.eventHash,
  });
}

/** `hash = SHA-256(prev_hash bytes || UTF-8 of the canonical entry)`, lower-case hex. */
export function entryHash(prevHash: string, fields: ChainedFields): string {
  return createHash('sha256').update(Buffer.from(prevHash, 'hex')).update(canonicalEntry(fields), 'utf8').digest('hex');
}
