import { type DynamicModule, Inject, Module, type OnModuleInit, type Type } from '@nestjs/common';
import { createServiceDataSource, CreateRateLimitCount1767000000000, PostgresRateLimitCounts, type ServiceDataSourceOptions } from '@watchfloor/persistence';
import { type BaseEnv, createHttpApp, createLogger, createTracing, type HttpApp, metricsRegistry, type OpenApiOptions, ReadinessRegistry, type TracingOptions } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import { Messaging, type MessagingOptions } from '../messaging';
import type { ConsumerDefinition } from '../topology/consumer-definition';
import { MessagingModule } from './messaging.module';

/** What a Watchfloor service says about itself to {@link createServiceApp}. */
export interface ServiceAppOptions<C extends BaseEnv> {
  /** `intake`, `triage`, ...: also the name of the Postgres schema it owns. */
  service: string;
  config: C;
  /** The service's migrations, `MESSAGING_MIGRATIONS` first (the rate limit's table is added here). */
  migrations: Extract<NonNullable<ServiceDataSourceOptions['migrations']>, unknown[]>;
  /** The service's feature modules. They may inject `DataSource`, `Outbox`, `OutboxRelay`, `CONFIG`, ... */
  imports: Array<Type | DynamicModule>;
  /** Consumers declared with non-default settings; handlers of other types get the defaults. */
  consumers?: readonly ConsumerDefinition[];
  /** Connections of the data source feature modules inject: the request path's (default 10). */
  poolSize?: number;
  /**
   * Gives the JetStream consumers (their handlers, inbox and dead letters) and the outbox
   * relay a pool of their own, of this size, so a backlog of events never takes the
   * connections requests need. Without it one pool serves both.
   */
  messagingPoolSize?: number;
  relay?: MessagingOptions['relay'];
  openApi?: OpenApiOptions;
  /** Tests: where the service's finished spans go (tracing on, whatever the config says). */
  spanExporter?: TracingOptions['exporter'];
  /** Tests: the rate limit's clock (default `Date.now`), to reach the next window without waiting. */
  rateLimitClock?: () => number;
}

/** A running service: its HTTP app, data sources and messaging. */
export interface ServiceApp extends HttpApp {
  /** What feature modules inject as `DataSource` (the request path). */
  readonly dataSource: DataSource;
  /** What consumers and the outbox relay use: `dataSource` itself unless `messagingPoolSize` was given. */
  readonly messagingDataSource: DataSource;
  readonly messaging: Messaging;
}

@Module({})
class ServiceRootModule implements OnModuleInit {
  constructor(
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Messaging) private readonly messaging: Messaging,
  ) {}

  static with(dataSource: DataSource, messaging: Messaging, imports: Array<Type | DynamicModule>): DynamicModule {
    return {
      module: ServiceRootModule,
      global: true,
      imports: [MessagingModule.forRoot(messaging), ...imports],
      providers: [{ provide: DataSource, useValue: dataSource }],
      exports: [DataSource],
    };
  }

  onModuleInit(): void {
    this.readiness.register('database', () => this.dataSource.query('SELECT 1'));
    this.readiness.register('nats', () => this.messaging.checkReady());
  }
}

/**
 * Boots a service the one way every service boots: its schema (created and migrated), its
 * messaging (streams and consumers provisioned, outbox relay started), the HTTP app of
 * platform (its rate limit shared by the replicas through the schema's `rate_limit_count`),
 * and the JetStream transport for its `@EventPattern` handlers. Readiness covers
 * the database and NATS. With `messagingPoolSize`, consumers and relay get a data source of
 * their own (same schema, migrated once by the first). `close()` stops HTTP and consumers,
 * then messaging, then the databases.
 */
export async function createServiceApp<C extends BaseEnv>(options: ServiceAppOptions<C>): Promise<ServiceApp> {
  const { service, config } = options;
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const tracing = await createTracing({ service, config, exporter: options.spanExporter });
  const dataSource = await createServiceDataSource({
    url: config.DATABASE_URL,
    schema: service,
    migrations: [...options.migrations, CreateRateLimitCount1767000000000],
    poolSize: options.poolSize,
    applicationName: `watchfloor-${service}`,
  });
  let messagingDataSource = dataSource;
  let messaging: Messaging;
  try {
    if (options.messagingPoolSize !== undefined) {
      messagingDataSource = await createServiceDataSource({
        url: config.DATABASE_URL,
        schema: service,
        runMigrations: false,
        poolSize: options.messagingPoolSize,
        applicationName: `watchfloor-${service}-messaging`,
      });
    }
    messaging = await Messaging.create({
      service,
      dataSource: messagingDataSource,
      servers: config.NATS_URL,
      user: config.NATS_USER,
      pass: config.NATS_PASS,
      token: config.NATS_TOKEN,
      namespace: config.NATS_NAMESPACE,
      streamReplicas: config.NATS_STREAM_REPLICAS,
      consumers: options.consumers,
      logger: logger.child({ component: 'messaging' }),
      relay: options.relay,
      // The registry `/metrics` serves: outbox, consumer and lag metrics beside the service's own.
      registry: metricsRegistry,
      tracer: tracing.tracer,
    });
  } catch (error) {
    if (messagingDataSource !== dataSource) await messagingDataSource.destroy();
    await dataSource.destroy();
    throw error;
  }
  // Messaging kicks its relay after commits on its own data source; requests write outbox rows too.
  if (messagingDataSource !== dataSource) messaging.outbox.kickAfterCommit(dataSource, () => messaging.relay.kick());
  const http = await createHttpApp(ServiceRootModule.with(dataSource, messaging, options.imports), {
    service,
    config,
    logger,
    openApi: options.openApi,
    tracing,
    // The replicas share one limit per caller: counts synced through the schema's rate_limit_count,
    // on the background pool (like the relay), so requests never wait for a sync's connection.
    rateLimit: { shared: new PostgresRateLimitCounts(messagingDataSource), clock: options.rateLimitClock },
  });
  http.app.connectMicroservice({ strategy: messaging.transport }, { inheritAppConfig: true });
  return {
    app: http.app,
    dataSource,
    messagingDataSource,
    messaging,
    async listen() {
      await http.app.startAllMicroservices();
      return http.listen();
    },
    async close() {
      await http.close();
      if (messagingDataSource !== dataSource) await messagingDataSource.destroy();
      await dataSource.destroy();
      await tracing.shutdown();
    },
  };
}
