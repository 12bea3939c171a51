import { AckPolicy, DeliverPolicy, JetStreamApiError, jetstream, jetstreamManager, type ConsumerConfig, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect, type NodeConnectionOptions } from '@nats-io/transport-node';
import { isEventType, type EventType } from '@watchfloor/contracts';
import { WatchfloorError } from '../http/errors';
import { ConsumerLoop } from './consumer-loop';
import { planConsumers, type PlannedConsumer } from './consumer-plan';
import type { EventHandlers, SubscriptionProblem } from './subscription-types';

/** Where a new durable consumer starts. It applies only when the consumer is created. */
export type DeliverFrom = 'new' | 'all' | { since: Date };

/** What {@link subscribeEvents} consumes and how. */
export interface SubscribeOptions {
  /** An open connection of yours (left open by `stop()`); or give `servers`. */
  connection?: NatsConnection;
  /** NATS URL(s) to connect to (the connection is the subscription's, drained by `stop()`). */
  servers?: string | string[];
  /** Credentials and other options of that connection (`user`/`pass`, `token`, `authenticator`, `tls`). */
  connectOptions?: Omit<NodeConnectionOptions, 'servers'>;
  /**
   * Your durable consumer's name: what survives restarts and what several replicas of your
   * automation share (each event goes to one of them). Letters, digits, `_` and `-`.
   */
  durableName: string;
  /** A handler per event type you want; their keys are what is consumed. */
  handlers: EventHandlers;
  /** State tokens to consume (`ga`; `us` for national scope); default every state. */
  states?: readonly string[];
  /** The deployment's `NATS_NAMESPACE`, if it set one. */
  namespace?: string;
  /** Where a new consumer starts (default `new`: events published from now on). */
  deliverFrom?: DeliverFrom;
  /**
   * Wait before each redelivery after the handler threw (default EVENTS.md's 1 s, 5 s, 30 s,
   * 2 min); one more failure than it has entries and the message is terminated (`gave-up`).
   */
  retryDelaysMs?: readonly number[];
  /** Redelivery after a crash mid-handler (default 30 s); a running handler keeps its message. */
  ackWaitMs?: number;
  /** Messages handled at once per consumer (default 1: in stream order, apart from redeliveries). */
  concurrency?: number;
  /** Create or update the consumers (default); `false` only binds to consumers your operators made. */
  createConsumers?: boolean;
  /** Hears invalid events, handler failures and NATS trouble; default `console.warn`. */
  onProblem?: (problem: SubscriptionProblem) => void;
}

/** A running subscription. */
export interface Subscription {
  /** The durable consumers it reads, with their filter subjects. */
  readonly consumers: readonly PlannedConsumer[];
  /** Stops pulling, lets the handlers in progress finish and acknowledge, then drains its own connection. */
  stop(): Promise<void>;
}

/** EVENTS.md: 1 s, 5 s, 30 s, 2 min, then the message is given up (five deliveries). */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [1_000, 5_000, 30_000, 120_000];
const DEFAULT_ACK_WAIT_MS = 30_000;
const PULL_EXPIRES_MS = 5_000;
const NANOS_PER_MS = 1_000_000;
const STREAM_NOT_FOUND = 10059;

function deliverPolicy(from: DeliverFrom): Pick<ConsumerConfig, 'deliver_policy' | 'opt_start_time'> {
  if (from === 'new') return { deliver_policy: DeliverPolicy.New };
  if (from === 'all') return { deliver_policy: DeliverPolicy.All };
  return { deliver_policy: DeliverPolicy.StartTime, opt_start_time: from.since.toISOString() };
}

/** The default listener: one line, with ids and the error, never the event's data (it may hold contact details). */
function warnAboutProblem(problem: SubscriptionProblem): void {
  const about = 'event' in problem ? ` ${problem.event.type} ${problem.event.id}` : 'eventId' in problem && problem.eventId ? ` event ${problem.eventId}` : '';
  const why = 'error' in problem ? `: ${problem.error instanceof Error ? problem.error.message : String(problem.error)}` : 'errors' in problem ? `: ${problem.errors.map((e) => e.message).join('; ')}` : '';
  console.warn(`watchfloor subscription ${problem.consumer}: ${problem.kind}${about}${why}`);
}

/** Creates the consumer, or brings an existing one to the filter, ack wait and deliveries asked for. */
async function ensureConsumer(jsm: JetStreamManager, planned: PlannedConsumer, config: Partial<ConsumerConfig>): Promise<void> {
  try {
    await jsm.consumers.add(planned.stream, config);
    return;
  } catch (error) {
    if (!(error instanceof JetStreamApiError)) throw error;
    if (error.code === STREAM_NOT_FOUND) throw new WatchfloorError(`stream ${planned.stream} not found: check the NATS server and the namespace`, { cause: error });
  }
  // It exists with another configuration; where it starts cannot change, the rest can.
  const { filter_subject, ack_wait, max_deliver, max_ack_pending, description } = config;
  try {
    await jsm.consumers.update(planned.stream, planned.durable, { filter_subject, ack_wait, max_deliver, max_ack_pending, description });
  } catch (error) {
    throw new WatchfloorError(`consumer ${planned.durable} on ${planned.stream} exists and cannot be changed to filter ${planned.filterSubject}: ${String(error)}`, { cause: error });
  }
}

/** Binding only: a consumer the operators were to make must exist, or the subscription would wait for ever. */
async function requireConsumer(jsm: JetStreamManager, planned: PlannedConsumer): Promise<void> {
  try {
    await jsm.consumers.info(planned.stream, planned.durable);
  } catch (error) {
    throw new WatchfloorError(`consumer ${planned.durable} (filter ${planned.filterSubject}) not found on stream ${planned.stream}; createConsumers is false, so it must be made beforehand`, { cause: error });
  }
}

/**
 * Consumes Watchfloor's events from JetStream through durable pull consumers: each message
 * is validated against the event contract and handed to the handler of its type; it is
 * acknowledged once the handler resolves, delivered again after a delay when the handler
 * throws, and terminated when it is not a valid event. Delivery is at least once: make the
 * handler idempotent on `event.id`.
 */
export async function subscribeEvents(options: SubscribeOptions): Promise<Subscription> {
  const types = Object.keys(options.handlers).filter((key) => {
    if (!isEventType(key)) throw new TypeError(`"${key}" is not a Watchfloor event type`);
    return options.handlers[key] !== undefined;
  }) as EventType[];
  const consumers = planConsumers({
    durableName: options.durableName,
    types,
    ...(options.states !== undefined ? { states: options.states } : {}),
    ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
  });
  const retryDelaysMs = [...(options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS)];
  if (retryDelaysMs.length === 0 || retryDelaysMs.some((ms) => !(ms >= 0))) throw new TypeError('retryDelaysMs must list at least one delay, none negative');
  const ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError('concurrency must be an integer of at least 1');
  if ((options.connection === undefined) === (options.servers === undefined)) throw new TypeError('give either connection or servers');

  const onProblem = options.onProblem ?? warnAboutProblem;
  const report = (problem: SubscriptionProblem) => {
    try {
      onProblem(problem);
    } catch {
      // A failing listener must not stop the consumption.
    }
  };

  const owned = options.connection === undefined;
  const nc = options.connection ?? (await connect({ ...options.connectOptions, servers: options.servers }));
  try {
    const jsm = await jetstreamManager(nc);
    if (options.createConsumers === false) {
      for (const planned of consumers) await requireConsumer(jsm, planned);
    } else {
      for (const planned of consumers) {
        await ensureConsumer(jsm, planned, {
          durable_name: planned.durable,
          description: `watchfloor sdk: ${planned.types.join(', ')}`,
          filter_subject: planned.filterSubject,
          ack_policy: AckPolicy.Explicit,
          ...deliverPolicy(options.deliverFrom ?? 'new'),
          ack_wait: ackWaitMs * NANOS_PER_MS,
          max_deliver: retryDelaysMs.length + 1,
          max_ack_pending: Math.max(concurrency, 100),
        });
      }
    }
  } catch (error) {
    if (owned) await nc.close();
    throw error;
  }

  const js = jetstream(nc);
  const loops = consumers.map(
    (consumer) => new ConsumerLoop({ nc, js, consumer, handlers: options.handlers, retryDelaysMs, ackWaitMs, concurrency, pullExpiresMs: PULL_EXPIRES_MS, report }),
  );
  for (const loop of loops) loop.start();
  let stopped: Promise<void> | undefined;
  return {
    consumers,
    stop: () =>
      (stopped ??= (async () => {
        await Promise.all(loops.map((loop) => loop.stop()));
        if (owned && !nc.isClosed()) await nc.drain();
      })()),
  };
}
