import { uuidv7 } from 'uuidv7';
import { exerciseOfData } from '../exercise/exercise-id';
import type { Tlp } from '../tlp';
import { EVENT_CATALOGUE, type EventOf, type EventPayloadMap, type EventType } from './catalogue';

/** Envelope attributes of a new event besides its type and data. */
export interface EventMeta {
  /** `/watchfloor/<service>` (see `eventSource`). */
  source: string;
  /** The id of the aggregate the event is about (incident, cluster, subscription, ...). */
  subject: string;
  tlp: Tlp;
  /** OCD-ID of the jurisdiction concerned (`ocd-division/country:us` for national events). */
  jurisdiction: string;
  /** The request or event that caused this one. */
  correlationId: string;
  traceparent?: string;
  /** Defaults to a new UUIDv7; give one only to rebuild an event already identified. */
  id?: string;
  /** Defaults to now. */
  time?: Date;
}

/**
 * Builds a CloudEvent of `type`; `data` must be that type's payload (checked at compile
 * time). Does not validate: publishers validate with `validateEventData` before the outbox.
 * The `exercise` attribute is taken from the data, so the two never disagree.
 */
export function createEvent<K extends EventType>(type: K, data: EventPayloadMap[K], meta: EventMeta): EventOf<K> {
  const exercise = exerciseOfData(data);
  return {
    specversion: '1.0',
    id: meta.id ?? uuidv7(),
    source: meta.source,
    type,
    subject: meta.subject,
    time: (meta.time ?? new Date()).toISOString(),
    datacontenttype: 'application/json',
    dataschema: EVENT_CATALOGUE[type].schemaUrl,
    tlp: meta.tlp,
    jurisdiction: meta.jurisdiction,
    correlationid: meta.correlationId,
    ...(meta.traceparent === undefined ? {} : { traceparent: meta.traceparent }),
    ...(exercise === undefined ? {} : { exercise }),
    data,
  };
}
