import type { AnyEvent, EventOf, EventType, FieldError } from '@watchfloor/contracts';

/** Where a message came from and how often it has been delivered. */
export interface Delivery {
  subject: string;
  /** 1 the first time; more after a failure or a crash before the ack. */
  deliveryCount: number;
  streamSequence: number;
  /** The durable consumer it came through. */
  consumer: string;
}

/** A handler of one event type. Resolve to acknowledge; throw to be called again after a delay. */
export type EventHandler<K extends EventType> = (event: EventOf<K>, delivery: Delivery) => Promise<void> | void;

/** Handlers by event type: the keys are what the subscription consumes, each handler gets its type's event. */
export type EventHandlers = { [K in EventType]?: EventHandler<K> };

/** Something the subscription did about a message or its consumer, for logs and metrics. */
export type SubscriptionProblem =
  /** Not a valid Watchfloor event (or not of a type this consumer takes): terminated, never redelivered. */
  | { kind: 'invalid'; consumer: string; subject: string; errors: FieldError[]; eventId?: string }
  /** The handler threw: the message comes back after `retryInMs`. */
  | { kind: 'handler-failed'; consumer: string; event: AnyEvent; error: unknown; deliveryCount: number; retryInMs: number }
  /** The handler threw on the last allowed delivery: terminated. Keep it somewhere if it matters. */
  | { kind: 'gave-up'; consumer: string; event: AnyEvent; error: unknown; deliveryCount: number }
  /** A pull or an acknowledgement failed (NATS away, consumer deleted); the subscription keeps trying. */
  | { kind: 'consumer-failed'; consumer: string; error: unknown };
