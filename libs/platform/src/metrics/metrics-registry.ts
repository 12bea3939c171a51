import { Counter, Gauge, Histogram, type Metric, Registry, collectDefaultMetrics } from 'prom-client';
import type { CounterConfiguration, GaugeConfiguration, HistogramConfiguration } from 'prom-client';

/**
 * The process's Prometheus registry, served at `/metrics`. Libraries and services add their
 * metrics here, through the helpers below so that creating one twice (two apps in a test
 * process) returns the existing metric instead of throwing.
 */
export const metricsRegistry = new Registry();

let defaultsCollected = false;

/** Starts Node's default metrics (once per process) and labels every series with the service. */
export function initMetrics(service: string): void {
  metricsRegistry.setDefaultLabels({ service });
  if (!defaultsCollected) {
    defaultsCollected = true;
    collectDefaultMetrics({ register: metricsRegistry });
  }
}

function existing<T extends Metric>(name: string, kind: new (...args: never[]) => T): T | undefined {
  const metric = metricsRegistry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  if (!(metric instanceof kind)) throw new Error(`Metric ${name} already exists with another type`);
  return metric;
}

/** A counter in {@link metricsRegistry}, created on first use. */
export function counter<L extends string>(config: Omit<CounterConfiguration<L>, 'registers'>): Counter<L> {
  return existing<Counter<L>>(config.name, Counter) ?? new Counter<L>({ ...config, registers: [metricsRegistry] });
}

/** A gauge in {@link metricsRegistry}, created on first use. */
export function gauge<L extends string>(config: Omit<GaugeConfiguration<L>, 'registers'>): Gauge<L> {
  return existing<Gauge<L>>(config.name, Gauge) ?? new Gauge<L>({ ...config, registers: [metricsRegistry] });
}

/** A histogram in {@link metricsRegistry}, created on first use. */
export function histogram<L extends string>(config: Omit<HistogramConfiguration<L>, 'registers'>): Histogram<L> {
  return existing<Histogram<L>>(config.name, Histogram) ?? new Histogram<L>({ ...config, registers: [metricsRegistry] });
}
