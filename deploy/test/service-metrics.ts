// The metrics each service really serves: its own process started as in production (the
// real main.ts, its config, database and NATS) and its `GET /metrics` read, so the dashboard
// and the alert rules are checked against the code rather than against a copy of it.
import { generateKeyPairSync } from 'node:crypto';
import { createTestDatabase, spawnService, useNats, type ChildService, type TestDatabase, type TestNats } from '@watchfloor/testing';
import { SERVICES, type ServiceName } from './service-env';

/** A metric family as the exposition format declares it (`# TYPE name type`). */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

/** Metric families by name, from one `/metrics` text. */
export function parseMetricFamilies(exposition: string): Map<string, MetricType> {
  const families = new Map<string, MetricType>();
  for (const [, name, type] of exposition.matchAll(/^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\w+)$/gm)) {
    families.set(name as string, type as MetricType);
  }
  return families;
}

/**
 * The series names a family's samples carry, which is what PromQL selects: a histogram's
 * `_bucket`, `_sum` and `_count`, never its bare name.
 */
export function seriesNames(name: string, type: MetricType): string[] {
  switch (type) {
    case 'histogram':
      return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
    case 'summary':
      return [name, `${name}_sum`, `${name}_count`];
    default:
      return [name];
  }
}

/** What one scrape of every service found. */
export interface ServiceMetrics {
  /** Families each service declares. */
  families: Record<ServiceName, Map<string, MetricType>>;
  /** Series name -> the family it belongs to, over every service. */
  series: Map<string, string>;
}

/** Settings a service needs to start here beyond the database and NATS. */
function extraEnv(service: ServiceName): Record<string, string> {
  if (service !== 'audit') return {};
  // A key of its own, so the test never writes the development key file.
  return { AUDIT_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString() };
}

/** The four services running on a database and NATS namespace of their own. */
export interface RunningServices {
  scrape(): Promise<ServiceMetrics>;
  stop(): Promise<void>;
}

export async function startServices(): Promise<RunningServices> {
  let db: TestDatabase | undefined;
  let nats: TestNats | undefined;
  const children: ChildService[] = [];
  const stop = async () => {
    await Promise.all(children.map((child) => child.stop()));
    await nats?.cleanup();
    await db?.drop();
  };
  try {
    [db, nats] = await Promise.all([createTestDatabase('wf_metrics'), useNats()]);
    const env = { DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace };
    // Ready, not only live: the consumers and the outbox relay exist (and register their metrics) by then.
    const results = await Promise.allSettled(SERVICES.map((service) => spawnService(service, { ...env, ...extraEnv(service) }, { waitFor: 'ready' })));
    for (const result of results) if (result.status === 'fulfilled') children.push(result.value);
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const started = children;
    const scrape = async (): Promise<ServiceMetrics> => {
      const texts = await Promise.all(started.map(async (child, i) => {
        const response = await fetch(`${child.url}/metrics`);
        if (!response.ok) throw new Error(`${SERVICES[i]} answers /metrics with ${response.status}`);
        return response.text();
      }));
      const families = Object.fromEntries(SERVICES.map((service, i) => [service, parseMetricFamilies(texts[i] as string)])) as ServiceMetrics['families'];
      const series = new Map<string, string>();
      for (const byName of Object.values(families)) {
        for (const [name, type] of byName) for (const seriesName of seriesNames(name, type)) series.set(seriesName, name);
      }
      return { families, series };
    };
    return { scrape, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
