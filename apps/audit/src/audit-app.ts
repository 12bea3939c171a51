import { createServiceApp, type ServiceApp } from '@watchfloor/messaging';
import { AuditModule } from './audit.module';
import type { AuditEnv } from './config';
import { AUDIT_MIGRATIONS } from './migrations';

/** Builds audit: the hash-chained record of every event, its checkpoints and its API. */
export function createAuditApp(config: AuditEnv): Promise<ServiceApp> {
  return createServiceApp({
    service: 'audit',
    config,
    migrations: AUDIT_MIGRATIONS,
    imports: [AuditModule],
    poolSize: config.AUDIT_DB_POOL_SIZE,
    openApi: {
      title: 'Watchfloor audit',
      description: 'The hash-chained, checkpointed record of every event: query, verify, export.',
    },
  });
}
