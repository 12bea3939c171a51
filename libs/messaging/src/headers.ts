import { headers as natsHeaders, type MsgHdrs } from '@nats-io/nats-core';
import { EventHeaders, type CloudEvent } from '@watchfloor/contracts';

/** Header name -> value, as stored in the outbox's `headers` column. */
export type HeaderMap = Record<string, string>;

/**
 * The NATS headers of EVENTS.md for an event: `Nats-Msg-Id` (= event id, so the broker
 * drops a re-publish inside its duplicate window) and the routing attributes repeated from
 * the envelope, so that routing and permissions need no parsing of the body.
 */
export function eventHeaders(event: Pick<CloudEvent, 'id' | 'type' | 'tlp' | 'jurisdiction' | 'correlationid' | 'traceparent' | 'exercise'>): HeaderMap {
  const map: HeaderMap = {
    [EventHeaders.msgId]: event.id,
    [EventHeaders.type]: event.type,
    [EventHeaders.tlp]: event.tlp,
    [EventHeaders.jurisdiction]: event.jurisdiction,
    [EventHeaders.correlationId]: event.correlationid,
  };
  if (event.traceparent) map[EventHeaders.traceparent] = event.traceparent;
  if (event.exercise) map[EventHeaders.exercise] = event.exercise;
  return map;
}

/** Builds NATS headers from a map. */
export function toMsgHdrs(map: HeaderMap): MsgHdrs {
  const hdrs = natsHeaders();
  for (const [name, value] of Object.entries(map)) hdrs.set(name, value);
  return hdrs;
}

/** Reads NATS headers into a map (first value of each). */
export function fromMsgHdrs(hdrs: MsgHdrs | undefined): HeaderMap {
  const map: HeaderMap = {};
  if (!hdrs) return map;
  for (const [name, values] of hdrs) {
    const first = values[0];
    if (first !== undefined) map[name] = first;
  }
  return map;
}
