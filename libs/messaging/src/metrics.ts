import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Counter ? existing : new Counter({ name, help, labelNames, registers: [registry] });
}

function gauge(registry: Registry, name: string, help: string, labelNames: string[]): Gauge<string> {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Gauge ? existing : new Gauge({ name, help, labelNames, registers: [registry] });
}

function histogram(registry: Registry, name: string, help: string, labelNames: string[], buckets: number[]): Histogram<string> {
  const existing = registry.getSingleMetric(name);
  return existing instanceof Histogram ? existing : new Histogram({ name, help, labelNames, buckets, registers: [registry] });
}

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Outbox metrics, labelled by service. Registered once per registry (get-or-create). */
export function outboxMetrics(registry: Registry = defaultRegistry) {
  return {
    pending: gauge(registry, 'watchfloor_outbox_pending', 'Outbox rows not yet published (sampled by the relay)', ['service']),
    published: counter(registry, 'watchfloor_outbox_published_total', 'Outbox rows published and acknowledged by JetStream', ['service']),
    publishErrors: counter(registry, 'watchfloor_outbox_publish_errors_total', 'Outbox rows whose publish failed', ['service']),
    publishSeconds: histogram(registry, 'watchfloor_outbox_publish_seconds', 'Time to publish one relay batch and get every PubAck', ['service'], LATENCY_BUCKETS),
    lagSeconds: histogram(registry, 'watchfloor_outbox_lag_seconds', 'Outbox row created -> PubAck received', ['service'], LATENCY_BUCKETS),
  };
}

/** Consumer metrics, labelled by consumer (durable name). */
export function consumerMetrics(registry: Registry = defaultRegistry) {
  return {
    consumed: counter(registry, 'watchfloor_events_consumed_total', 'Events handled and acknowledged (repeats included)', ['consumer', 'outcome']),
    failed: counter(registry, 'watchfloor_events_failed_total', 'Handler failures that were retried', ['consumer']),
    deadLettered: counter(registry, 'watchfloor_events_dead_lettered_total', 'Messages terminated and dead-lettered', ['consumer', 'reason']),
    handlerSeconds: histogram(registry, 'watchfloor_event_handler_seconds', 'Handler time including its transaction', ['consumer'], LATENCY_BUCKETS),
  };
}

export type OutboxMetrics = ReturnType<typeof outboxMetrics>;
export type ConsumerMetrics = ReturnType<typeof consumerMetrics>;
