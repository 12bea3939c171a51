import type { Tracer } from '@opentelemetry/api';
import { register as defaultRegistry, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { dataSourceSchema } from '@watchfloor/persistence';
import { connectJetStream, type JetStreamConnection } from './connection';
import { ConsumerLag } from './consumer-lag';
import { defaultLogger, type MessagingLogger } from './logger';
import { Inbox } from './inbox';
import { Outbox } from './outbox/outbox';
import { OutboxRelay, type OutboxRelayOptions } from './outbox/outbox-relay';
import { EventPublisher } from './publisher';
import type { ConsumerDefinition } from './topology/consumer-definition';
import { provisionTopology } from './topology/provision';
import { checkJetStreamReady } from './readiness';
import { Topology } from './topology/topology';
import { JetStreamTransport } from './transport/jetstream.transport';

/** Everything a service says about its messaging. */
export interface MessagingOptions {
  /** Service name: `intake`, `triage`, ... (consumer names, dead-letter subjects, metrics). */
  service: string;
  /** The service's data source (its schema holds outbox, inbox and dead_letter). */
  dataSource: DataSource;
  /** NATS servers; ignored when `connection` is given. */
  servers?: string[] | string;
  user?: string;
  pass?: string;
  token?: string;
  /** An existing connection to use (and not close). */
  connection?: JetStreamConnection;
  /** Test isolation on a shared server; production uses none. */
  namespace?: string;
  /** Replicas of each stream it provisions (3 on a production JetStream cluster; default 1). */
  streamReplicas?: number;
  /** The service's consumers (`defineConsumer(service, type)`), provisioned at start-up and checked by readiness. */
  consumers?: readonly ConsumerDefinition[];
  /** Messages of one consumer handled at once (default 16). */
  concurrency?: number;
  /** Relay settings (batch size, poll interval, retention, hooks). */
  relay?: Partial<Omit<OutboxRelayOptions, 'dataSource' | 'js' | 'service' | 'registry' | 'logger' | 'tracer'>>;
  /** Provision streams and the listed consumers in {@link Messaging.create} (default true). */
  provision?: boolean;
  registry?: Registry;
  logger?: MessagingLogger;
  /** Spans of the relay's publishes and the consumers' handling (default: none). */
  tracer?: Tracer;
}

/**
 * A service's messaging, wired: connection, topology, outbox (+ relay, kicked after each
 * commit), direct publisher, the Nest transport for its handlers, and a readiness check.
 *
 * ```ts
 * const messaging = await Messaging.create({ service: 'intake', dataSource, servers, consumers });
 * app.connectMicroservice({ strategy: messaging.transport });
 * messaging.start();                       // relay loop
 * await inTransaction(ds, (m) => messaging.outbox.add(m, event)); messaging.relay.kick();
 * readiness.register('nats', () => messaging.checkReady());
 * ```
 */
export class Messaging {
  readonly topology: Topology;
  readonly outbox: Outbox;
  readonly inbox: Inbox;
  readonly relay: OutboxRelay;
  readonly publisher: EventPublisher;
  readonly transport: JetStreamTransport;
  /** `watchfloor_consumer_pending` for this service's consumers. */
  readonly consumerLag: ConsumerLag;

  private constructor(
    readonly options: MessagingOptions,
    readonly connection: JetStreamConnection,
    private readonly ownsConnection: boolean,
  ) {
    const { service, dataSource, registry, tracer } = options;
    const logger = options.logger ?? defaultLogger(`${service}-messaging`);
    const schema = dataSourceSchema(dataSource);
    this.topology = new Topology(options.namespace ?? '', { replicas: options.streamReplicas ?? 1 });
    this.outbox = new Outbox(schema, this.topology);
    this.inbox = new Inbox(schema);
    this.relay = new OutboxRelay({ ...options.relay, dataSource, js: connection.js, service, schema, logger, tracer, ...(registry ? { registry } : {}) });
    this.outbox.kickAfterCommit(dataSource, () => this.relay.kick());
    this.publisher = new EventPublisher(connection.js, this.topology);
    this.transport = new JetStreamTransport({
      service, dataSource, connection, logger,
      topology: this.topology,
      consumers: options.consumers ?? [],
      tracer,
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(registry ? { registry } : {}),
    });
    this.consumerLag = new ConsumerLag(connection.jsm, registry ?? defaultRegistry, () => this.allConsumers().map((definition) => ({
      stream: this.topology.consumerStream(definition),
      durable: definition.durable,
    })), () => connection.isConnected());
  }

  // Declared with settings, and those the transport found handlers for.
  private allConsumers(): ConsumerDefinition[] {
    return [...new Map([...(this.options.consumers ?? []), ...this.transport.consumers].map((d) => [d.durable, d] as const)).values()];
  }

  /** Connects (unless given a connection) and provisions streams and the listed consumers. */
  static async create(options: MessagingOptions): Promise<Messaging> {
    let connection = options.connection;
    const ownsConnection = !connection;
    if (!connection) {
      if (!options.servers) throw new Error('MessagingOptions: give servers or a connection');
      connection = await connectJetStream({
        servers: options.servers,
        name: options.service,
        ...(options.user !== undefined ? { user: options.user } : {}),
        ...(options.pass !== undefined ? { pass: options.pass } : {}),
        ...(options.token !== undefined ? { token: options.token } : {}),
        ...(options.logger ? { logger: options.logger } : {}),
      });
    }
    const messaging = new Messaging(options, connection, ownsConnection);
    if (options.provision ?? true) {
      try {
        await provisionTopology(connection.jsm, messaging.topology, options.consumers ?? []);
      } catch (error) {
        if (ownsConnection) await connection.close();
        throw error;
      }
    }
    return messaging;
  }

  /** Starts the outbox relay (the transport starts when Nest calls its `listen`). */
  start(): void {
    this.relay.start();
  }

  /**
   * Readiness: NATS connected, and every stream and consumer of this service exists.
   * Throws naming what is wrong (the shape the platform's readiness registry expects).
   */
  async checkReady(): Promise<void> {
    await checkJetStreamReady(this.connection, this.topology, this.allConsumers());
  }

  /** Stops consuming (waiting for handlers in progress), stops the relay, closes the connection if it owns it. */
  async close(): Promise<void> {
    this.consumerLag.close();
    await this.transport.close();
    await this.relay.stop();
    if (this.ownsConnection) await this.connection.close();
  }
}
