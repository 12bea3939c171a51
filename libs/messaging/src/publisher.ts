import type { JetStreamClient, PubAck } from '@nats-io/jetstream';
import { EventHeaders, type CloudEvent, type EventPayloadMap, type EventType } from '@watchfloor/contracts';
import { assertValidEvent } from './events';
import { eventHeaders, toMsgHdrs } from './headers';
import type { Topology } from './topology/topology';

/** An event of a known type with its payload type. */
export type TypedEvent<T extends EventType = EventType> = CloudEvent<T, EventPayloadMap[T]>;

/**
 * Publishes events straight to JetStream, after checking them against the contract (an
 * invalid event throws and is never published). Services publish through the outbox;
 * this is for tools and for what the outbox relay itself does not cover.
 */
export class EventPublisher {
  constructor(
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
  ) {}

  /** Validates, then publishes with `Nats-Msg-Id` = event id; resolves with the PubAck. */
  async publish<T extends EventType>(event: TypedEvent<T>): Promise<PubAck> {
    assertValidEvent(event as CloudEvent<EventType, unknown>);
    const headers = eventHeaders(event);
    return this.js.publish(this.topology.eventSubject(event), JSON.stringify(event), {
      msgID: headers[EventHeaders.msgId] ?? event.id,
      headers: toMsgHdrs(headers),
    });
  }
}
