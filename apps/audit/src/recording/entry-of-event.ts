import type { NewEntry } from '../chain/entry.record';
import { canonicalJson } from '../chain/chain-hash';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `intake` from `/watchfloor/intake`. */
function serviceOf(source: string): string {
  return source.split('/').filter(Boolean).pop() ?? source;
}

/**
 * Who did it: the person (`sub`) behind `by`, `submittedBy` or `author`; a system rule as
 * `system:<rule>`; otherwise the service that published the event, as `system:<service>`.
 */
export function actorOf(event: { source: string; data: unknown }): string {
  const data = isObject(event.data) ? event.data : {};
  const by = data['by'];
  if (isObject(by)) {
    if (by['kind'] === 'user' && typeof by['sub'] === 'string') return by['sub'];
    if (typeof by['rule'] === 'string') return `system:${by['rule']}`;
  }
  for (const field of ['submittedBy', 'author']) {
    const principal = data[field];
    if (isObject(principal) && typeof principal['sub'] === 'string') return principal['sub'];
  }
  return `system:${serviceOf(event.source)}`;
}

/** The incidents an event concerns: its `incidentId`, or a cluster's `incidentIds`, or none. */
export function incidentIdsOf(data: unknown): string[] {
  if (!isObject(data)) return [];
  const ids = typeof data['incidentId'] === 'string' ? [data['incidentId']] : Array.isArray(data['incidentIds']) ? data['incidentIds'] : [];
  return [...new Set(ids.filter((id): id is string => typeof id === 'string').map((id) => id.toLowerCase()))];
}

/** What an event received becomes in the chain (the event as received, canonicalised). */
export interface ReceivedEvent {
  id: string;
  type: string;
  source: string;
  time: string;
  tlp: string;
  data: unknown;
}

/** The entry of a valid event as received (`raw`, the parsed body, not the validated copy). */
export function entryOfEvent(raw: ReceivedEvent, subject: string): NewEntry {
  return {
    eventId: raw.id.toLowerCase(),
    type: raw.type,
    subject,
    incidentIds: incidentIdsOf(raw.data),
    actor: actorOf(raw),
    tlp: raw.tlp,
    occurredAt: new Date(raw.time).toISOString(),
    event: canonicalJson(raw),
  };
}
