import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** The namespace STIX 2.1 fixes for the deterministic ids of cyber-observable objects (section 2.9). */
export const STIX_SCO_NAMESPACE = '00abedb4-aa42-466c-9c01-fed23315a9b7';

/**
 * Watchfloor's own namespace for the ids of the objects it exports. Our incident and cluster
 * ids are UUIDv7, which STIX 2.1 (RFC 4122 UUIDs) does not name; a UUIDv5 of our id is a valid
 * one, and the same on every export, so a consumer updates an object instead of duplicating it.
 */
export const WATCHFLOOR_STIX_NAMESPACE = 'c0fe2032-fd2d-4e75-9740-854b2ac071d3';

/** RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The deterministic id of a cyber-observable object: a UUIDv5, in the STIX namespace, of the
 * RFC 8785 canonical JSON of its ID contributing properties (as the OASIS reference library does).
 */
export function scoId(type: string, contributing: Record<string, unknown>): string {
  const name = canonicalize(contributing);
  if (name === undefined) throw new TypeError(`${type}: no ID contributing properties`);
  return `${type}--${uuidV5(STIX_SCO_NAMESPACE, name)}`;
}

/** The id of an object Watchfloor makes from one of its own things (`key`: our id, or ids joined). */
export function watchfloorStixId(type: string, key: string): string {
  return `${type}--${uuidV5(WATCHFLOOR_STIX_NAMESPACE, `${type}:${key}`)}`;
}
