import {
  Inject,
  Module,
  type DynamicModule,
  type FactoryProvider,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { Messaging, type MessagingOptions } from '../messaging';
import { Inbox } from '../inbox';
import { Outbox } from '../outbox/outbox';
import { OutboxRelay } from '../outbox/outbox-relay';
import { EventPublisher } from '../publisher';
import { Topology } from '../topology/topology';
import { JetStreamTransport } from '../transport/jetstream.transport';

/** Options of {@link MessagingModule.forRootAsync}: a factory for {@link MessagingOptions}. */
export interface MessagingModuleAsyncOptions extends Pick<ModuleMetadata, 'imports'> {
  inject?: FactoryProvider['inject'];
  useFactory(...args: never[]): MessagingOptions | Promise<MessagingOptions>;
}

/** The parts of {@link Messaging}, injectable by their classes. */
const partProviders: Provider[] = [
  { provide: Outbox, useFactory: (m: Messaging) => m.outbox, inject: [Messaging] },
  { provide: OutboxRelay, useFactory: (m: Messaging) => m.relay, inject: [Messaging] },
  { provide: Inbox, useFactory: (m: Messaging) => m.inbox, inject: [Messaging] },
  { provide: EventPublisher, useFactory: (m: Messaging) => m.publisher, inject: [Messaging] },
  { provide: Topology, useFactory: (m: Messaging) => m.topology, inject: [Messaging] },
  { provide: JetStreamTransport, useFactory: (m: Messaging) => m.transport, inject: [Messaging] },
];
const exported = [Messaging, Outbox, OutboxRelay, Inbox, EventPublisher, Topology, JetStreamTransport];

/**
 * Makes a service's {@link Messaging} injectable (`Outbox`, `OutboxRelay`, `EventPublisher`,
 * ...), starts the relay once the app has booted and closes everything on shutdown. The
 * transport still has to be connected: `app.connectMicroservice({ strategy: app.get(JetStreamTransport) })`.
 */
@Module({})
export class MessagingModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(Messaging) private readonly messaging: Messaging) {}

  /** With a {@link Messaging} built before the app (e.g. in main.ts). */
  static forRoot(messaging: Messaging): DynamicModule {
    return { module: MessagingModule, global: true, providers: [{ provide: Messaging, useValue: messaging }, ...partProviders], exports: exported };
  }

  /** Builds {@link Messaging} from options made by a factory (config, data source injected). */
  static forRootAsync(options: MessagingModuleAsyncOptions): DynamicModule {
    return {
      module: MessagingModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        {
          provide: Messaging,
          inject: options.inject ?? [],
          useFactory: async (...args: never[]) => Messaging.create(await options.useFactory(...args)),
        },
        ...partProviders,
      ],
      exports: exported,
    };
  }

  onApplicationBootstrap(): void {
    this.messaging.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.messaging.close();
  }
}
