import { type DynamicModule, Inject, Module, type OnModuleInit, type Type } from '@nestjs/common';
import { createServiceDataSource, type ServiceDataSourceOptions } from '@watchfloor/persistence';
import { type BaseEnv, createHttpApp, createLogger, type HttpApp, metricsRegistry, type OpenApiOptions, ReadinessRegistry } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import { Messaging, type MessagingOptions } from '../messaging';
import type { ConsumerDefinition } from '../topology/consumer-definition';
import { MessagingModule } from './messaging.module';

/** What a Watchfloor service says about itself to {@link createServiceApp}. */
export interface ServiceAppOptions<C extends BaseEnv> {
  /** `intake`, `triage`, ...: also the name of the Postgres schema it owns. */
  service: string;
  config: C;
  /** The service's migrations, `MESSAGING_MIGRATIONS` first. */
  migrations: NonNullable<ServiceDataSourceOptions['migrations']>;
  /** The service's feature modules. They may inject `DataSource`, `Outbox`, `OutboxRelay`, `CONFIG`, ... */
  imports: Array<Type | DynamicModule>;
  /** Consumers declared with non-default settings; handlers of other types get the defaults. */
  consumers?: readonly ConsumerDefinition[];
  poolSize?: number;
  relay?: MessagingOptions['relay'];
  openApi?: OpenApiOptions;
}

/** A running service: its HTTP app, data source and messaging. */
export interface ServiceApp extends HttpApp {
  readonly dataSource: DataSource;
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
 * platform, and the JetStream transport for its `@EventPattern` handlers. Readiness covers
 * the database and NATS. `close()` stops HTTP and consumers, then messaging, then the database.
 */
export async function createServiceApp<C extends BaseEnv>(options: ServiceAppOptions<C>): Promise<ServiceApp> {
  const { service, config } = options;
  const logger = createLogger({ service, level: config.LOG_LEVEL });
  const dataSource = await createServiceDataSource({
    url: config.DATABASE_URL,
    schema: service,
    migrations: options.migrations,
    poolSize: options.poolSize,
    applicationName: `watchfloor-${service}`,
  });
  let messaging: Messaging;
  try {
    messaging = await Messaging.create({
      service,
      dataSource,
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
    });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const http = await createHttpApp(ServiceRootModule.with(dataSource, messaging, options.imports), {
    service,
    config,
    logger,
    openApi: options.openApi,
  });
  http.app.connectMicroservice({ strategy: messaging.transport }, { inheritAppConfig: true });
  return {
    app: http.app,
    dataSource,
    messaging,
    async listen() {
      await http.app.startAllMicroservices();
      return http.listen();
    },
    async close() {
      await http.close();
      await dataSource.destroy();
    },
  };
}
