import type { Role } from '@watchfloor/contracts';
import { DEV_AUTH_SECRET, loadConfig, signDevToken } from '@watchfloor/platform';
import { apiClient, aCaller } from '@watchfloor/testing';
import { type ServiceApp } from '@watchfloor/messaging';
import { TriageEnv } from '../src/config';
import { createTriageApp } from '../src/triage-app';

/** Triage running in this process on a given database and NATS namespace (on-call and escalation suites). */
export interface InProcessTriage {
  url: string;
  app: ServiceApp;
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  close(): Promise<void>;
}

/** Environment of a test triage: quiet, unthrottled, fast redelivery. */
export function testTriageEnv(db: { url: string }, nats: { url: string; namespace?: string }, env: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: db.url,
    NATS_URL: nats.url,
    ...(nats.namespace ? { NATS_NAMESPACE: nats.namespace } : {}),
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    TRIAGE_CONSUMER_BACKOFF_MS: '50,100',
    ...env,
  };
}

/** Starts triage in-process with `env` (see {@link testTriageEnv}). */
export async function startTriageInProcess(env: Record<string, string>): Promise<InProcessTriage> {
  const config = loadConfig(TriageEnv, { PORT: '0', ...env });
  const app = await createTriageApp(config);
  const url = await app.listen();
  return {
    url,
    app,
    request: apiClient(url),
    close: () => app.close(),
  };
}

/** A development token for a caller with `role`. */
export function tokenFor(role: Role, sub?: string): Promise<string> {
  return signDevToken(aCaller({ roles: [role], ...(sub ? { sub } : {}) }), DEV_AUTH_SECRET, '1h');
}
