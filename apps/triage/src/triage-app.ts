import { ClockModule, createServiceApp, defineConsumer, type MessagingOptions, type ServiceApp, type ServiceAppOptions } from '@watchfloor/messaging';
import type { TriageEnv } from './config';
import { EscalationModule } from './escalation/escalation.module';
import { ExercisesModule } from './exercises/exercises.module';
import { ClustersModule } from './clusters/clusters.module';
import { IncidentsModule } from './incidents/incidents.module';
import { LifecycleModule } from './lifecycle/lifecycle.module';
import { TRIAGE_MIGRATIONS } from './migrations';
import { OnCallModule } from './oncall/oncall.module';
import { QueueStreamModule } from './queue-stream/queue-stream.module';
import { StixModule } from './stix/stix.module';

/** The events triage consumes, with the redelivery policy of its config. */
export function triageConsumers(config: TriageEnv) {
  const settings = { maxDeliver: config.TRIAGE_CONSUMER_MAX_DELIVER, backoffMs: config.TRIAGE_CONSUMER_BACKOFF_MS };
  return [
    defineConsumer('triage', 'watchfloor.incident.reported.v1', settings),
    defineConsumer('triage', 'watchfloor.incident.updated.v1', settings),
  ];
}

/** Builds triage; `relay` lets tests and benchmarks hook into the outbox relay, `spanExporter` read its spans. */
export function createTriageApp(
  config: TriageEnv,
  options: { relay?: MessagingOptions['relay']; spanExporter?: ServiceAppOptions<TriageEnv>['spanExporter'] } = {},
): Promise<ServiceApp> {
  return createServiceApp({
    service: 'triage',
    config,
    migrations: TRIAGE_MIGRATIONS,
    imports: [ClockModule, IncidentsModule, LifecycleModule, ClustersModule, OnCallModule, EscalationModule, QueueStreamModule, StixModule, ExercisesModule],
    consumers: triageConsumers(config),
    poolSize: config.TRIAGE_DB_POOL_SIZE,
    relay: options.relay,
    spanExporter: options.spanExporter,
    openApi: {
      title: 'Watchfloor triage',
      description: 'On-call staff see incidents scored, correlated and assigned, and work them to resolution.',
    },
  });
}
