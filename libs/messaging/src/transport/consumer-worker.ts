import type { Consumer, ConsumerMessages, JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { Span, Tracer } from '@opentelemetry/api';
import type { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { GroupCommitter } from '@watchfloor/persistence';
import { recordFailure, withActiveSpan } from '@watchfloor/platform';
import type { DeadLetters } from '../dead-letters';
import { isPermanentFailure } from '../errors';
import { describeProblems, misrouting, parseEvent, type ValidEvent } from '../events';
import type { Inbox } from '../inbox';
import { describeError, type MessagingLogger } from '../logger';
import type { ConsumerMetrics } from '../metrics';
import { backoffFor, type ConsumerDefinition } from '../topology/consumer-definition';
import type { Topology } from '../topology/topology';
import { startConsumerSpan } from '../tracing';
import { JetStreamBatchContext, JetStreamContext, type BatchMessage } from './jetstream.context';

/** Runs the service's handler for one event inside the given context. */
export type EventDispatcher = (event: ValidEvent, context: JetStreamContext) => Promise<void>;

/** Runs the service's batch handler for the claimed events of a batch (or one of them alone). */
export type BatchDispatcher = (context: JetStreamBatchContext<ValidEvent>) => Promise<void>;

/** What a {@link ConsumerWorker} needs. */
export interface ConsumerWorkerDeps {
  definition: ConsumerDefinition;
  js: JetStreamClient;
  topology: Topology;
  dataSource: DataSource;
  inbox: Inbox;
  deadLetters: DeadLetters;
  dispatch: EventDispatcher;
  /** Set when the consumer's handler takes a batch (`@EventPattern(type, BATCH)`): used instead of `dispatch`. */
  dispatchBatch?: BatchDispatcher;
  metrics: ConsumerMetrics;
  logger: MessagingLogger;
  /** Messages in progress at once (pulled and not yet acked or nak'ed). */
  concurrency: number;
  /** Most messages whose effects share one transaction (default: half of `concurrency`). */
  batchSize?: number;
  /** How long one pull waits for messages (>= 1 s). */
  pullExpiresMs: number;
  /** Starts the `process <subject>` span of each valid message (the no-op tracer when tracing is off). */
  tracer: Tracer;
}

/** A valid message on its way through a batch. */
interface Delivery {
  message: JsMsg;
  event: ValidEvent;
  /** Active while its handler runs, so what it logs and the events it adds join the event's trace. */
  span: Span;
}

type Outcome = 'handled' | 'repeat';

// Two batches of one consumer at once: one commits while the next runs its handlers.
const BATCHES_IN_FLIGHT = 2;

/**
 * Consumes one durable pull consumer with bounded parallelism: it pulls only as many
 * messages as it can start at once (nothing waits in a client buffer while its ack wait
 * runs out) and signals progress on long handlers, because on nats-server 2.9 the ack
 * wait of a consumer with back-off is the first back-off step (1 s).
 *
 * Messages pulled together are handled in one transaction (group commit): one statement
 * claims their inbox rows, their handlers run in turn on the batch's manager, and one commit makes them
 * all durable before any is acked. If one handler fails, the batch is rolled back and run
 * again with a savepoint per message, so only that message is nak'ed or dead-lettered
 * (its own deliveries and back-off) while the others commit. A batch handler gets the
 * batch's claimed events in one call (and, in the savepoint run, each event alone).
 */
export class ConsumerWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private slotFreed: (() => void) | undefined;
  private pull: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;
  private wake: (() => void) | undefined;

  private readonly committer: GroupCommitter<Delivery, Outcome>;

  constructor(private readonly deps: ConsumerWorkerDeps) {
    this.committer = new GroupCommitter<Delivery, Outcome>({
      dataSource: deps.dataSource,
      maxBatch: deps.batchSize ?? Math.max(1, Math.ceil(deps.concurrency / BATCHES_IN_FLIGHT)),
      // A pull's messages arrive within a tick or two; waiting longer only adds latency.
      maxWaitMs: 1,
      concurrency: BATCHES_IN_FLIGHT,
      work: (manager, delivery) => this.handleIn(manager, delivery),
      workAll: (manager, deliveries) => this.handleAllIn(manager, deliveries),
    });
  }

  /** Starts pulling. */
  start(): void {
    this.stopping = false;
    this.loop ??= this.run();
  }

  /** Stops pulling, then waits for the messages in progress to finish (ack or nak). */
  async stop(): Promise<void> {
    this.stopping = true;
    this.pull?.stop();
    this.wake?.();
    this.slotFreed?.();
    await this.loop;
    await Promise.allSettled([...this.inFlight]);
    await this.committer.drain();
    this.loop = undefined;
  }

  private get label() {
    return { consumer: this.deps.definition.durable };
  }

  private async run(): Promise<void> {
    const { definition, topology, js, logger } = this.deps;
    let consumer: Consumer | undefined;
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.waitForSlots();
        if (this.stopping) break;
        consumer ??= await js.consumers.get(topology.consumerStream(definition), definition.durable);
        this.pull = await consumer.fetch({ max_messages: this.deps.concurrency - this.inFlight.size, expires: this.deps.pullExpiresMs });
        for await (const message of this.pull) this.begin(message);
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        consumer = undefined;
        const delay = Math.min(5_000, 100 * 2 ** Math.min(failures, 6));
        logger.warn({ err: describeError(error), consumer: definition.durable, retryInMs: delay }, 'pull failed; retrying');
        await this.sleep(delay);
      } finally {
        this.pull = undefined;
      }
    }
  }

  /** Waits until at least half the slots are free, so pulls come in useful batches. */
  private async waitForSlots(): Promise<void> {
    const enough = Math.max(1, Math.floor(this.deps.concurrency / 2));
    while (!this.stopping && this.deps.concurrency - this.inFlight.size < enough) {
      await new Promise<void>((resolve) => (this.slotFreed = resolve));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private begin(message: JsMsg): void {
    const task: Promise<void> = this.handle(message)
      .catch((error: unknown) => this.deps.logger.error({ err: describeError(error), consumer: this.deps.definition.durable }, 'message handling crashed'))
      .finally(() => {
        this.inFlight.delete(task);
        const freed = this.slotFreed;
        this.slotFreed = undefined;
        freed?.();
      });
    this.inFlight.add(task);
  }

  private async handle(message: JsMsg): Promise<void> {
    const { definition } = this.deps;
    const check = parseEvent(message.data);
    if (!check.ok) {
      const error = `invalid event: ${describeProblems(check.errors)}`;
      await this.deadLetter(message, error, 'invalid', check.claimed);
      return;
    }
    const event = check.event;
    if (event.type !== definition.eventType) {
      await this.deadLetter(message, `unexpected type ${event.type} on consumer of ${definition.eventType}`, 'invalid', event);
      return;
    }
    const wrongSubject = misrouting(event, this.deps.topology.baseSubject(message.subject));
    if (wrongSubject) {
      await this.deadLetter(message, `misrouted event: ${wrongSubject}`, 'invalid', event);
      return;
    }

    const stopTimer = this.deps.metrics.handlerSeconds.startTimer(this.label);
    const progress = this.keepAlive(message);
    const span = startConsumerSpan(this.deps.tracer, { subject: message.subject, durable: this.deps.definition.durable, deliveryCount: message.info.deliveryCount, event });
    try {
      const outcome = await this.committer.submit({ message, event, span });
      // Only after the commit: a lost ack means a redelivery, which the inbox drops.
      message.ack();
      this.deps.metrics.consumed.inc({ ...this.label, outcome });
      if (outcome === 'repeat') span.setAttribute('watchfloor.repeat', true);
    } catch (error) {
      recordFailure(span, error);
      await this.failed(message, event, error);
    } finally {
      clearInterval(progress);
      stopTimer();
      span.end();
    }
  }

  /** One message's part of a batch: claim the inbox (a repeat does nothing), then the handler. */
  private async handleIn(manager: EntityManager, { message, event, span }: Delivery): Promise<Outcome> {
    const { definition } = this.deps;
    if (!(await this.deps.inbox.claim(manager, definition.durable, event.id))) return 'repeat';
    if (this.deps.dispatchBatch) {
      await this.deps.dispatchBatch(new JetStreamBatchContext([batchMessage({ message, event, span })], manager, definition));
      return 'handled';
    }
    await withActiveSpan(span, () => this.deps.dispatch(event, new JetStreamContext([message, manager, definition])));
    return 'handled';
  }

  /** A batch's messages with one inbox statement for them all; a repeat (also within the batch) does nothing. */
  private async handleAllIn(manager: EntityManager, deliveries: readonly Delivery[]): Promise<Outcome[]> {
    const { definition } = this.deps;
    const claimed = await this.deps.inbox.claimAll(manager, definition.durable, deliveries.map((delivery) => delivery.event.id));
    // Postgres returns uuids in lower case.
    const outcomes: Outcome[] = deliveries.map(({ event }) => (claimed.delete(event.id.toLowerCase()) ? 'handled' : 'repeat'));
    const handled = deliveries.filter((_, i) => outcomes[i] === 'handled');
    if (this.deps.dispatchBatch) {
      if (handled.length > 0) await this.deps.dispatchBatch(new JetStreamBatchContext(handled.map(batchMessage), manager, definition));
      return outcomes;
    }
    for (const { message, event, span } of handled) {
      await withActiveSpan(span, () => this.deps.dispatch(event, new JetStreamContext([message, manager, definition])));
    }
    return outcomes;
  }

  /** Resets the ack timer while a handler runs, at half the shortest ack wait. */
  private keepAlive(message: JsMsg): NodeJS.Timeout {
    const every = Math.max(50, Math.floor(Math.min(...this.deps.definition.backoffMs) / 2));
    return setInterval(() => message.working(), every);
  }

  private async failed(message: JsMsg, event: ValidEvent, error: unknown): Promise<void> {
    const { definition, logger } = this.deps;
    const deliveries = message.info.deliveryCount;
    const reason = describeError(error);
    if (isPermanentFailure(error)) {
      await this.deadLetter(message, `permanent failure: ${reason}`, 'permanent', event);
    } else if (deliveries >= definition.maxDeliver) {
      await this.deadLetter(message, `failed ${deliveries} deliveries, last: ${reason}`, 'max_deliver', event);
    } else {
      const delay = backoffFor(definition, deliveries);
      logger.warn({ err: reason, consumer: definition.durable, eventId: event.id, deliveries, retryInMs: delay }, 'handler failed; will retry');
      this.deps.metrics.failed.inc(this.label);
      message.nak(delay);
    }
  }

  private async deadLetter(message: JsMsg, error: string, reason: string, event?: { id?: string; type?: string }): Promise<void> {
    const { definition, logger } = this.deps;
    try {
      await this.deps.deadLetters.record({
        consumer: definition.durable,
        message,
        error,
        ...(event?.id !== undefined ? { eventId: event.id } : {}),
        ...(event?.type !== undefined ? { eventType: event.type } : {}),
      });
    } catch (recordError) {
      // Without its record the message must not disappear: let it come back later.
      logger.error({ err: describeError(recordError), consumer: definition.durable, subject: message.subject }, 'dead letter not recorded; will retry');
      message.nak(backoffFor(definition, message.info.deliveryCount));
      return;
    }
    // No reason text: nats-server 2.9 does not understand "+TERM <reason>".
    message.term();
    this.deps.metrics.deadLettered.inc({ ...this.label, reason });
    logger.warn({ consumer: definition.durable, subject: message.subject, seq: message.seq, error }, 'message dead-lettered');
  }
}

function batchMessage({ message, event, span }: Delivery): BatchMessage<ValidEvent> {
  return { event, message, within: (work) => withActiveSpan(span, work) };
}
