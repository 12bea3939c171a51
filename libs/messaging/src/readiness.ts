import type { JetStreamConnection } from './connection';
import type { ConsumerDefinition } from './topology/consumer-definition';
import { missingTopology } from './topology/provision';
import type { Topology } from './topology/topology';

/**
 * Readiness probe: NATS connected, and every stream of the topology and every given
 * consumer exists. Resolves when ready; throws naming what is wrong (the contract of the
 * platform's readiness registry).
 */
export async function checkJetStreamReady(
  connection: Pick<JetStreamConnection, 'jsm' | 'isConnected'>,
  topology: Topology,
  consumers: readonly ConsumerDefinition[] = [],
): Promise<void> {
  if (!connection.isConnected()) throw new Error('NATS is not connected');
  const missing = await missingTopology(connection.jsm, topology, consumers);
  if (missing.length > 0) throw new Error(`missing on NATS: ${missing.join(', ')}`);
}
