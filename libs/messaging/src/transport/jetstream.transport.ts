import { CustomTransportStrategy, type MessageHandler, Server } from '@nestjs/microservices';
import type { Tracer } from '@opentelemetry/api';
import { isObservable, lastValueFrom } from 'rxjs';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { isEventType, type EventType } from '@watchfloor/contracts';
import { dataSourceSchema } from '@watchfloor/persistence';
import { TRACING_OFF } from '@watchfloor/platform';
import type { JetStreamConnection } from '../connection';
import { DeadLetters } from '../dead-letters';
import type { ValidEvent } from '../events';
import { Inbox } from '../inbox';
import { defaultLogger, type MessagingLogger } from '../logger';
import { consumerMetrics } from '../metrics';
import { defineConsumer, type ConsumerDefinition } from '../topology/consumer-definition';
import { provisionConsumers } from '../topology/provision';
import type { Topology } from '../topology/topology';
import { ConsumerWorker } from './consumer-worker';
import type { JetStreamBatchContext, JetStreamContext } from './jetstream.context';

/** Settings of a {@link JetStreamTransport}. */
export interface JetStreamTransportOptions {
  service: string;
  connection: Pick<JetStreamConnection, 'js' | 'jsm' | 'nc'>;
  topology: Topology;
  /** The service's data source: handlers' transactions, inbox and dead letters live in it. */
  dataSource: DataSource;
  /**
   * Consumer definitions by event type (from `defineConsumer`); a handler whose type is
   * not listed gets `defineConsumer(service, type)`.
   */
  consumers?: readonly ConsumerDefinition[];
  /** Messages of one consumer in progress at once (default 32). */
  concurrency?: number;
  /** Most messages of one consumer committed in one transaction (default: half of `concurrency`). */
  batchSize?: number;
  /** How long one pull request waits for messages (default 5 s, at least 1 s). */
  pullExpiresMs?: number;
  registry?: Registry;
  logger?: MessagingLogger;
  /** Each message's handling is a CONSUMER span (default: the no-op tracer). */
  tracer?: Tracer;
}

/**
 * Nest transport over JetStream durable pull consumers. Each `@EventPattern<string>(type)`
 * handler gets the consumer of its event type. Per message: parse and validate (invalid:
 * terminated and dead-lettered at once), then claim the inbox (a repeat is acked and
 * dropped) and run the handler with `ctx.manager` in a transaction shared with the other
 * messages of its batch, commit, ack. A thrown
 * `PermanentError`, or a failure on the last delivery, dead-letters; any other failure is
 * nak'ed with the consumer's back-off. A handler declared `@EventPattern<string>(type, BATCH)`
 * takes the batch's events at once (`@Ctx() ctx: JetStreamBatchContext`), so that it can
 * write them with multi-row statements.
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  private readonly workers: ConsumerWorker[] = [];
  // Looked up once: Nest's lookup by pattern tries JSON.parse on each event type and throws.
  private readonly handlerOf = new Map<string, MessageHandler>();
  private resolved: ConsumerDefinition[] = [];
  private readonly transportLogger: MessagingLogger;

  constructor(private readonly options: JetStreamTransportOptions) {
    super();
    this.transportLogger = options.logger ?? defaultLogger('jetstream-transport');
  }

  /** The consumers this transport reads, once it listens. */
  get consumers(): readonly ConsumerDefinition[] {
    return this.resolved;
  }

  /** Called by Nest: ensures the consumers of the registered handlers exist and starts them. */
  listen(callback: (error?: unknown) => void): void {
    this.start().then(() => callback(), (error: unknown) => callback(error));
  }

  /** Called by Nest on shutdown: stops pulling and waits for handlers in progress. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
    this.workers.length = 0;
  }

  /** This transport emits no events of its own. */
  on(): void {
    throw new Error('JetStreamTransport does not emit events; watch the NATS connection instead');
  }

  /** The NATS connection. */
  unwrap<T>(): T {
    return this.options.connection.nc as T;
  }

  private async start(): Promise<void> {
    const { options } = this;
    this.resolved = this.definitionsForHandlers();
    for (const { eventType } of this.resolved) {
      const handler = this.getHandlerByPattern(eventType);
      if (handler) this.handlerOf.set(eventType, handler);
    }
    await provisionConsumers(options.connection.jsm, options.topology, this.resolved);
    const schema = dataSourceSchema(options.dataSource);
    const deadLetters = new DeadLetters(options.dataSource, options.connection.js, options.topology, options.service, schema, this.transportLogger);
    const inbox = new Inbox(schema);
    const metrics = consumerMetrics(options.registry);
    for (const definition of this.resolved) {
      const worker = new ConsumerWorker({
        definition, inbox, deadLetters, metrics,
        js: options.connection.js,
        topology: options.topology,
        dataSource: options.dataSource,
        dispatch: (event, context) => this.dispatch(event, context),
        ...(this.handlerOf.get(definition.eventType)?.extras?.['batch'] === true
          ? { dispatchBatch: (context: JetStreamBatchContext<ValidEvent>) => this.dispatchBatch(definition.eventType, context) }
          : {}),
        logger: this.transportLogger,
        concurrency: options.concurrency ?? 32,
        ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
        pullExpiresMs: Math.max(1_000, options.pullExpiresMs ?? 5_000),
        tracer: options.tracer ?? TRACING_OFF.tracer,
      });
      worker.start();
      this.workers.push(worker);
    }
    this.transportLogger.info({ service: options.service, consumers: this.resolved.map((d) => d.durable) }, 'JetStream consumers started');
  }

  private definitionsForHandlers(): ConsumerDefinition[] {
    const declared = new Map((this.options.consumers ?? []).map((d) => [d.eventType, d] as const));
    return [...this.getHandlers().keys()].map((pattern) => {
      if (!isEventType(pattern)) throw new Error(`@EventPattern('${pattern}') is not an event type of the catalogue`);
      return declared.get(pattern) ?? defineConsumer(this.options.service, pattern as EventType);
    });
  }

  /** Calls the Nest handler and waits for it, whether it returns a value, a promise or an observable. */
  private async dispatch(event: ValidEvent, context: JetStreamContext): Promise<void> {
    await this.call(event.type, event, context);
  }

  /** Calls a batch handler with the batch's events (its payload) and the batch's context. */
  private async dispatchBatch(type: string, context: JetStreamBatchContext<ValidEvent>): Promise<void> {
    await this.call(type, context.messages.map((m) => m.event), context);
  }

  private async call(type: string, payload: unknown, context: unknown): Promise<void> {
    const handler = this.handlerOf.get(type);
    if (!handler) throw new Error(`no handler for ${type}`);
    const result: unknown = await handler(payload, context);
    // Nest's exception layer turns a thrown error into an observable that errors.
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
