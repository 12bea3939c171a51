import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

/** One durable consumer as the server counts it. */
export interface ConsumerCounts {
  /** Matching messages not delivered yet. */
  pending: number;
  /** Delivered, not acknowledged yet. */
  ackPending: number;
  /** Deliveries so far, redeliveries included. */
  delivered: number;
  redelivered: number;
}

/** The namespace's streams (by stream name) and durable consumers (`<stream>/<durable>`). */
export interface NatsSnapshot {
  /** Messages ever stored (the last sequence): what was published, whatever was removed since. */
  streams: Map<string, number>;
  consumers: Map<string, ConsumerCounts>;
}

/**
 * Reads JetStream's own counters for the run's namespace: the streams are `<ns>_<NAME>`
 * (libs/messaging Topology.streamName), each service's durable consumers live on them.
 */
export class NatsProbe {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly namespace: string,
  ) {}

  static async connect(natsUrl: string, namespace: string): Promise<NatsProbe> {
    const nc = await connect({ servers: natsUrl, name: 'system-bench-probe' });
    return new NatsProbe(nc, await jetstreamManager(nc), namespace);
  }

  async snapshot(): Promise<NatsSnapshot> {
    const streams = new Map<string, number>();
    const consumers = new Map<string, ConsumerCounts>();
    for await (const stream of this.jsm.streams.list()) {
      const name = stream.config.name;
      if (!name.startsWith(`${this.namespace}_`)) continue;
      const shortName = name.slice(this.namespace.length + 1);
      streams.set(shortName, stream.state.last_seq);
      for await (const consumer of this.jsm.consumers.list(name)) {
        if (!consumer.config.durable_name) continue;
        consumers.set(`${shortName}/${consumer.name}`, {
          pending: consumer.num_pending,
          ackPending: consumer.num_ack_pending,
          delivered: consumer.delivered.consumer_seq,
          redelivered: consumer.num_redelivered,
        });
      }
    }
    return { streams, consumers };
  }

  get serverVersion(): string {
    return this.nc.info?.version ?? 'unknown';
  }

  close(): Promise<void> {
    return this.nc.close();
  }
}
