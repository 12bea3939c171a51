import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@watchfloor/contracts';
import { Messaging } from '@watchfloor/messaging';
import { bufferTime, filter, map, Observable, share } from 'rxjs';

/** How long changes are gathered before the streams re-read them: one read per burst, not per event. */
export const CHANGE_BATCH_MS = 100;

/** Subjects whose events come from intake: triage has not acted on them yet, its own event follows. */
const INTAKE_EVENTS = ['incident.reported.', 'incident.updated.'];

/** The incident ids an event is about (`incidentId`, or a cluster's `incidentIds`). */
export function incidentIdsOf(body: Uint8Array): string[] {
  try {
    const event = JSON.parse(new TextDecoder().decode(body)) as { data?: { incidentId?: unknown; incidentIds?: unknown } };
    const ids = [event.data?.incidentId, ...(Array.isArray(event.data?.incidentIds) ? event.data.incidentIds : [])];
    // Only ids that can name an incident: one malformed id would fail the whole batch's re-read.
    return ids.filter(isUuid);
  } catch {
    return [];
  }
}

/**
 * Which incidents triage changed, in batches, for the queue's live streams. It listens to
 * triage's own events on NATS (a plain subscription, nothing durable: a stream that misses
 * one is re-read by its client on reconnect), so every replica hears every replica's
 * changes, and nothing is added to the write path. One subscription per process, open while
 * at least one stream is.
 */
@Injectable()
export class IncidentChangeFeed {
  readonly batches: Observable<string[]>;

  constructor(@Inject(Messaging) messaging: Messaging) {
    const changedIds = new Observable<string>((subscriber) => {
      const subscription = messaging.connection.nc.subscribe(messaging.topology.subject('incident.>'), {
        callback: (error, message) => {
          if (error) return subscriber.error(error);
          const subject = messaging.topology.baseSubject(message.subject);
          if (INTAKE_EVENTS.some((prefix) => subject.startsWith(prefix))) return;
          for (const id of incidentIdsOf(message.data)) subscriber.next(id);
        },
      });
      return () => subscription.unsubscribe();
    });
    this.batches = changedIds.pipe(
      bufferTime(CHANGE_BATCH_MS),
      filter((ids) => ids.length > 0),
      map((ids) => [...new Set(ids)]),
      share(),
    );
  }
}
