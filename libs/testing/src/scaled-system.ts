import { generateKeyPairSync } from 'node:crypto';
import { spawnService, type ChildService } from './child-service';
import { startNatsCluster, type NatsCluster } from './nats-cluster';
import { createTestDatabase, type TestDatabase } from './postgres';

/** The four services, in the order they are started. */
export const SERVICES = ['intake', 'triage', 'notification', 'audit'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** The whole of Watchfloor, twice over, on one database and a three-server JetStream cluster. */
export interface ScaledSystem {
  db: TestDatabase;
  cluster: NatsCluster;
  /** Two processes of each service. */
  replicas: Record<ServiceName, [ChildService, ChildService]>;
  /** Stops every process, the cluster and drops the database. */
  stop(): Promise<void>;
}

/**
 * Settings the test needs beyond the defaults, each for a reason of its own. Nothing here
 * changes how a service talks to NATS: that is the point of the test.
 */
function serviceEnv(service: ServiceName, signingKey: string): Record<string, string> {
  switch (service) {
    case 'triage':
      // Escalations are timer-driven (tested on their own); without deadlines the events
      // expected from N incidents do not depend on how long the run takes.
      return Object.fromEntries(['EMERGENCY', 'SEVERE', 'HIGH', 'MEDIUM', 'LOW'].map((level) => [`TRIAGE_ACK_DEADLINE_${level}_SECONDS`, '0']));
    case 'notification':
      // A loopback http receiver; a short timeout bounds the lease a killed replica leaves
      // on the deliveries it had claimed (2 x timeout + 5 s); a patient budget and breaker,
      // so a machine loaded by other suites cannot turn slow answers into dead deliveries.
      return {
        NOTIFICATION_ALLOW_HTTP: 'true',
        NOTIFICATION_ALLOW_LOOPBACK: 'true',
        NOTIFICATION_WEBHOOK_TIMEOUT_MS: '5000',
        NOTIFICATION_RETRY_BASE_MS: '200',
        NOTIFICATION_RETRY_MAX_MS: '2000',
        NOTIFICATION_MAX_ATTEMPTS: '20',
        NOTIFICATION_BREAKER_THRESHOLD: '1000',
      };
    case 'audit':
      // One key for both replicas (the dev key file would be raced for); what a killed
      // replica held comes back after the ack wait, 10 s instead of 30.
      return { AUDIT_SIGNING_KEY: signingKey, AUDIT_ACK_WAIT_MS: '10000' };
    default:
      return {};
  }
}

/** `urls` rotated by `by`, so the processes' first choices spread over the servers. */
function rotated(urls: readonly string[], by: number): string {
  return [...urls.slice(by % urls.length), ...urls.slice(0, by % urls.length)].join(',');
}

export interface ScaledSystemOptions {
  /** Settings added to (or overriding) a service's. */
  env?: Partial<Record<ServiceName, Record<string, string>>>;
  /** Settings of one process only (replica 0 or 1), added last: a process on a clock of its own. */
  replicaEnv?: (service: ServiceName, replica: 0 | 1) => Record<string, string>;
  /** The server its database is made on (default: the tests'). */
  postgresUrl?: string;
  /** Each line a process prints (its log, at `warn` and above). */
  onLine?: (service: ServiceName, line: string) => void;
  /** Longest wait for a process to be ready, at each start and restart (default 60 s). */
  startTimeoutMs?: number;
}

/**
 * Starts a fresh database, a three-server cluster and two processes of each service, with
 * every stream at three replicas. The first replica of each service is started before the
 * second, so the two never migrate the same schema at once.
 */
export async function startScaledSystem(options: ScaledSystemOptions = {}): Promise<ScaledSystem> {
  const [db, cluster] = await Promise.all([createTestDatabase('wf_scale', options.postgresUrl), startNatsCluster(3)]);
  const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const started: ChildService[] = [];
  let next = 0;
  const spawn = (replica: 0 | 1) => async (service: ServiceName) => {
    const child = await spawnService(service, {
      DATABASE_URL: db.url,
      NATS_URL: rotated(cluster.urls, next++),
      NATS_STREAM_REPLICAS: '3',
      ...serviceEnv(service, signingKey),
      ...options.env?.[service],
      ...options.replicaEnv?.(service, replica),
    }, {
      waitFor: 'ready',
      ...(options.onLine ? { onLine: (line: string) => options.onLine?.(service, line) } : {}),
      ...(options.startTimeoutMs ? { startTimeoutMs: options.startTimeoutMs } : {}),
    });
    started.push(child);
    return child;
  };
  const stop = async () => {
    await Promise.all(started.map((child) => child.stop()));
    await cluster.stop();
    await db.drop();
  };
  try {
    const first = await Promise.all(SERVICES.map(spawn(0)));
    const second = await Promise.all(SERVICES.map(spawn(1)));
    const replicas = Object.fromEntries(SERVICES.map((service, i) => [service, [first[i], second[i]]])) as ScaledSystem['replicas'];
    return { db, cluster, replicas, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
