import { ClockModule, createServiceApp, type ConsumerDefinition, type MessagingOptions, type ServiceApp, type ServiceAppOptions } from '@watchfloor/messaging';
import type { NotificationEnv } from './config';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { ExercisesModule } from './exercises/exercises.module';
import { NOTIFICATION_MIGRATIONS } from './migrations';
import { RoutingModule } from './routing/routing.module';
import { SharedModule } from './shared.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import type { ResolveHost } from './targets/target-policy';

/**
 * Builds notification; tests and benchmarks may shorten consumer back-offs, hook into the
 * relay, read its spans and resolve webhook hosts with a DNS of their own.
 */
export function createNotificationApp(
  config: NotificationEnv,
  options: {
    consumers?: readonly ConsumerDefinition[];
    relay?: MessagingOptions['relay'];
    spanExporter?: ServiceAppOptions<NotificationEnv>['spanExporter'];
    resolveHost?: ResolveHost;
  } = {},
): Promise<ServiceApp> {
  return createServiceApp({
    service: 'notification',
    config,
    migrations: NOTIFICATION_MIGRATIONS,
    imports: [ClockModule, SharedModule.forRoot({ resolveHost: options.resolveHost }), SubscriptionsModule, DeliveriesModule, RoutingModule, ExercisesModule],
    consumers: options.consumers,
    poolSize: config.NOTIFICATION_DB_POOL_SIZE,
    relay: options.relay,
    spanExporter: options.spanExporter,
    openApi: {
      title: 'Watchfloor notification',
      description: 'Partners and automations subscribe to incident events, within their TLP clearance; signed webhooks (Standard Webhooks) and e-mail, with a delivery ledger.',
    },
  });
}
