import { isTlp } from '@watchfloor/contracts';
import { canSee, type Caller } from '@watchfloor/platform';
import type { AuditEntry } from '../chain/entry.record';

/** True when the caller's clearance covers the entry's event (TLP is enforced where data leaves). */
export function eventVisible(caller: Caller, entry: Pick<AuditEntry, 'tlp'>): boolean {
  return isTlp(entry.tlp) && canSee(caller, entry.tlp);
}

/**
 * An entry as the API shows it. An event above the caller's clearance is withheld
 * (`event: null`, `withheld: true`); its digest stays, so the chain still verifies.
 */
export function entryView(entry: AuditEntry, caller: Caller) {
  const visible = eventVisible(caller, entry);
  const event = JSON.parse(entry.event) as { exercise?: unknown };
  return {
    sequence: entry.sequence,
    eventId: entry.eventId,
    type: entry.type,
    subject: entry.subject,
    incidentIds: entry.incidentIds,
    actor: entry.actor,
    tlp: entry.tlp,
    occurredAt: entry.occurredAt,
    recordedAt: entry.recordedAt,
    eventHash: entry.eventHash,
    prevHash: entry.prevHash,
    hash: entry.hash,
    withheld: !visible,
    // Exercise traffic stays in the chain (entries are never deleted) and is marked, even when withheld.
    ...(typeof event.exercise === 'string' ? { exercise: event.exercise } : {}),
    event: visible ? (event as unknown) : null,
  };
}
