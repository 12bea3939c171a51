import type { JetStreamManager } from '@nats-io/jetstream';
import { Gauge, type Registry } from 'prom-client';

/** A durable consumer to report on. */
export interface WatchedConsumer {
  stream: string;
  durable: string;
}

const NAME = 'watchfloor_consumer_pending';
// Every ConsumerLag of a registry (a test process may run several services): the gauge asks them all.
const sources = new WeakMap<Registry, Set<ConsumerLag>>();

function pendingGauge(registry: Registry): void {
  if (registry.getSingleMetric(NAME)) return;
  new Gauge({
    name: NAME,
    help: 'Messages of its stream the consumer has not had acknowledged yet (not delivered + awaiting ack), read from NATS at each scrape',
    labelNames: ['consumer'],
    registers: [registry],
    async collect() {
      this.reset();
      await Promise.all([...(sources.get(registry) ?? [])].map((source) => source.sample(this)));
    },
  });
}

/**
 * The `watchfloor_consumer_pending{consumer}` gauge: how far each of a service's consumers is
 * behind its stream, as the server counts it (`num_pending + num_ack_pending`). Read when
 * Prometheus scrapes, so it costs one JetStream API call per consumer per scrape and nothing
 * in between; while NATS is away the consumers are left out (the outbox and readiness say so).
 */
export class ConsumerLag {
  private readonly extra: WatchedConsumer[] = [];

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly registry: Registry,
    private readonly watched: () => WatchedConsumer[],
    private readonly isConnected: () => boolean,
  ) {
    pendingGauge(registry);
    const set = sources.get(registry) ?? new Set<ConsumerLag>();
    set.add(this);
    sources.set(registry, set);
  }

  /** Reports on a consumer the service runs outside the transport (audit's recorders). */
  watch(consumer: WatchedConsumer): void {
    this.extra.push(consumer);
  }

  /** Sets the gauge for each watched consumer that answers. */
  async sample(gauge: Gauge<string>): Promise<void> {
    if (!this.isConnected()) return;
    await Promise.all(
      [...this.watched(), ...this.extra].map(async ({ stream, durable }) => {
        try {
          const info = await this.jsm.consumers.info(stream, durable);
          gauge.set({ consumer: durable }, info.num_pending + info.num_ack_pending);
        } catch {
          // Not there yet, or NATS went away mid-scrape: no sample rather than a wrong one.
        }
      }),
    );
  }

  /** Stops reporting (the service is closing). */
  close(): void {
    sources.get(this.registry)?.delete(this);
  }
}
