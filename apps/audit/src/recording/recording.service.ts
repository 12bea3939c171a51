import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DeadLetters, Messaging } from '@watchfloor/messaging';
import { CONFIG, ReadinessRegistry, ROOT_LOGGER, TRACING, type Tracing } from '@watchfloor/platform';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ChainAppender } from '../chain/chain-appender';
import type { AuditEnv } from '../config';
import { RECORDED_STREAMS, StreamRecorder } from './stream-recorder';

/** Runs a {@link StreamRecorder} per recorded stream for the life of the app; readiness checks their consumers. */
@Injectable()
export class Recording implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly recorders: StreamRecorder[];

  constructor(
    @Inject(Messaging) private readonly messaging: Messaging,
    @Inject(DataSource) dataSource: DataSource,
    @Inject(ChainAppender) appender: ChainAppender,
    @Inject(CONFIG) config: AuditEnv,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
    @Inject(ReadinessRegistry) private readonly readiness: ReadinessRegistry,
    @Inject(TRACING) tracing: Tracing,
  ) {
    const logger = rootLogger.child({ component: 'recording' });
    const { js, jsm } = messaging.connection;
    const deadLetters = new DeadLetters(dataSource, js, messaging.topology, 'audit', 'audit', logger);
    this.recorders = RECORDED_STREAMS.map(
      (recorded) =>
        new StreamRecorder({
          recorded, js, jsm, deadLetters, logger,
          topology: messaging.topology,
          append: (entries) => appender.append(entries),
          batchSize: config.AUDIT_BATCH_SIZE,
          retryMs: config.AUDIT_RETRY_MS,
          ackWaitMs: config.AUDIT_ACK_WAIT_MS,
          tracer: tracing.tracer,
        }),
    );
  }

  onModuleInit(): void {
    for (const recorder of this.recorders) {
      this.messaging.consumerLag.watch({ stream: recorder.streamName, durable: recorder.consumerConfig().durable_name });
    }
    this.readiness.register('audit-consumers', async () => {
      for (const recorder of this.recorders) {
        await this.messaging.connection.jsm.consumers.info(recorder.streamName, recorder.consumerConfig().durable_name);
      }
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.recorders.map((recorder) => recorder.start()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.recorders.map((recorder) => recorder.stop()));
  }
}
