import { createServiceApp, type ServiceApp, type ServiceAppOptions } from '@watchfloor/messaging';
import { AuditModule } from './audit.module';
import type { AuditEnv } from './config';
import { AUDIT_MIGRATIONS } from './migrations';

/** Builds audit: the hash-chained record of every event, its checkpoints and its API (`spanExporter`: tests read its spans). */
export function createAuditApp(config: AuditEnv, options: { spanExporter?: ServiceAppOptions<AuditEnv>['spanExporter'] } = {}): Promise<ServiceApp> {
  return createServiceApp({
    service: 'audit',
    config,
    migrations: AUDIT_MIGRATIONS,
    imports: [AuditModule],
    poolSize: config.AUDIT_DB_POOL_SIZE,
    spanExporter: options.spanExporter,
    openApi: {
      title: 'Watchfloor audit',
      description: 'The hash-chained, checkpointed record of every event: query, verify, export.',
    },
  });
}
