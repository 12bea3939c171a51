import { JetStreamApiError, type ConsumerConfig, type JetStreamManager, type StreamConfig } from '@nats-io/jetstream';
import { PermissionViolationError } from '@nats-io/nats-core';
import type { ConsumerDefinition } from './consumer-definition';
import type { Topology } from './topology';

// JetStream API error codes (nats-server errors.json).
const STREAM_NOT_FOUND = 10059;
const CONSUMER_NOT_FOUND = 10014;

function apiCode(error: unknown): number | undefined {
  return error instanceof JetStreamApiError ? error.code : undefined;
}

/**
 * Creates a stream or brings it to `config`. Safe when replicas run it together: a create
 * that loses the race (or finds a different configuration) becomes an update.
 */
export async function ensureStream(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.add(config);
  } catch (error) {
    if (apiCode(error) === undefined) throw error;
    try {
      await jsm.streams.update(config.name, config);
    } catch (updateError) {
      // A service's NATS user may create a stream but not change one (permissions.conf).
      if (!(updateError instanceof PermissionViolationError)) throw updateError;
      throw new Error(
        `stream ${config.name} exists with another configuration than this service declares, and its NATS user may not update streams: ` +
          'update the stream with an administrator\'s credentials (docs/security.md, "Broker permissions")',
        { cause: updateError },
      );
    }
  }
}

/** Creates a durable consumer or brings it to `config`; as safe to race as {@link ensureStream}. */
export async function ensureConsumer(jsm: JetStreamManager, stream: string, config: Partial<ConsumerConfig> & { durable_name: string }): Promise<void> {
  try {
    await jsm.consumers.add(stream, config);
  } catch (error) {
    if (apiCode(error) === undefined) throw error;
    await jsm.consumers.update(stream, config.durable_name, config);
  }
}

/** Creates or updates every stream of the topology. */
export async function provisionStreams(jsm: JetStreamManager, topology: Topology): Promise<void> {
  for (const config of topology.streamConfigs()) await ensureStream(jsm, config);
}

/** Creates or updates the given consumers (their streams must exist). */
export async function provisionConsumers(jsm: JetStreamManager, topology: Topology, consumers: readonly ConsumerDefinition[]): Promise<void> {
  for (const definition of consumers) {
    const config = topology.consumerConfig(definition);
    await ensureConsumer(jsm, topology.consumerStream(definition), { ...config, durable_name: definition.durable });
  }
}

/** Streams, then consumers: what a service does at start-up. Idempotent. */
export async function provisionTopology(jsm: JetStreamManager, topology: Topology, consumers: readonly ConsumerDefinition[] = []): Promise<void> {
  await provisionStreams(jsm, topology);
  await provisionConsumers(jsm, topology, consumers);
}

/** What is missing for a service to work: streams and consumers that do not exist. */
export async function missingTopology(jsm: JetStreamManager, topology: Topology, consumers: readonly ConsumerDefinition[] = []): Promise<string[]> {
  const missing: string[] = [];
  for (const config of topology.streamConfigs()) {
    try {
      await jsm.streams.info(config.name);
    } catch (error) {
      if (apiCode(error) !== STREAM_NOT_FOUND) throw error;
      missing.push(`stream ${config.name}`);
    }
  }
  for (const definition of consumers) {
    const stream = topology.consumerStream(definition);
    try {
      await jsm.consumers.info(stream, definition.durable);
    } catch (error) {
      const code = apiCode(error);
      if (code !== CONSUMER_NOT_FOUND && code !== STREAM_NOT_FOUND) throw error;
      missing.push(`consumer ${stream}/${definition.durable}`);
    }
  }
  return missing;
}
