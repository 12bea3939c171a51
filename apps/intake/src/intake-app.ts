import { createServiceApp, type ServiceApp, type ServiceAppOptions } from '@watchfloor/messaging';
import type { IntakeEnv } from './config';
import { ExercisesModule } from './exercises/exercises.module';
import { IncidentsModule } from './incidents/incidents.module';
import { TrackingModule } from './tracking/tracking.module';
import { INTAKE_MIGRATIONS } from './migrations';

/**
 * Builds intake; `relay` lets tests and benchmarks hook into the outbox relay, `spanExporter`
 * read its spans, `rateLimitClock` move the rate limit's time on.
 */
export function createIntakeApp(
  config: IntakeEnv,
  options: Pick<ServiceAppOptions<IntakeEnv>, 'relay' | 'spanExporter' | 'rateLimitClock'> = {},
): Promise<ServiceApp> {
  return createServiceApp({
    service: 'intake',
    config,
    migrations: INTAKE_MIGRATIONS,
    imports: [IncidentsModule, TrackingModule, ExercisesModule],
    // Accepting a report never waits for a connection that a backlog of triage's events holds.
    poolSize: config.INTAKE_DB_POOL_SIZE,
    messagingPoolSize: config.INTAKE_MESSAGING_DB_POOL_SIZE,
    relay: options.relay,
    spanExporter: options.spanExporter,
    rateLimitClock: options.rateLimitClock,
    openApi: { title: 'Watchfloor intake', description: 'Officials and automations submit incidents and follow them.' },
  });
}
