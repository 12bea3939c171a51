import { Messaging, type MessagingOptions } from '@watchfloor/messaging';
import { createHttpApp, createLogger, type HttpApp } from '@watchfloor/platform';
import { createServiceDataSource } from '@watchfloor/persistence';
import type { IntakeEnv } from './config';
import { IntakeModule } from './intake.module';
import { INTAKE_MIGRATIONS } from './migrations';

/** Test and benchmark hooks into the outbox relay. */
export type IntakeRelayOptions = MessagingOptions['relay'];

/**
 * Builds intake: its schema (migrated), its messaging (streams provisioned, relay started
 * on boot) and the HTTP app. `close()` stops HTTP first, then messaging, then the database.
 */
export async function createIntakeApp(config: IntakeEnv, options: { relay?: IntakeRelayOptions } = {}): Promise<HttpApp> {
  const logger = createLogger({ service: 'intake', level: config.LOG_LEVEL });
  const dataSource = await createServiceDataSource({
    url: config.DATABASE_URL,
    schema: 'intake',
    migrations: INTAKE_MIGRATIONS,
    poolSize: config.INTAKE_DB_POOL_SIZE,
    applicationName: 'watchfloor-intake',
  });
  let messaging: Messaging;
  try {
    messaging = await Messaging.create({
      service: 'intake',
      dataSource,
      servers: config.NATS_URL,
      user: config.NATS_USER,
      pass: config.NATS_PASS,
      token: config.NATS_TOKEN,
      namespace: config.NATS_NAMESPACE,
      logger: logger.child({ component: 'messaging' }),
      relay: options.relay,
    });
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  const http = await createHttpApp(IntakeModule.with(dataSource, messaging), {
    service: 'intake',
    config,
    logger,
    openApi: { title: 'Watchfloor intake', description: 'Officials and automations submit incidents and follow them.' },
  });
  return {
    app: http.app,
    listen: () => http.listen(),
    async close() {
      await http.close();
      await dataSource.destroy();
    },
  };
}
