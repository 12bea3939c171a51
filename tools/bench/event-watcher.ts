import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { performance } from 'node:perf_hooks';

/** Where intake's `incident.reported` events land on the server. */
export interface ReportedEventsSource {
  natsUrl: string;
  /** `INCIDENTS`, or `<ns>_INCIDENTS` with a namespace. */
  stream: string;
  /** `incident.reported.>`, or `<ns>.incident.reported.>`. */
  filterSubject: string;
}

/** The stream and subject filter of `incident.reported` for a namespace (none in production). */
export function reportedEventsSource(natsUrl: string, namespace: string | undefined): ReportedEventsSource {
  const prefix = namespace ? `${namespace}.` : '';
  return { natsUrl, stream: namespace ? `${namespace}_INCIDENTS` : 'INCIDENTS', filterSubject: `${prefix}incident.reported.>` };
}

/** A running watch; `stop()` ends it and closes its connection. */
export interface EventWatch {
  stop(): Promise<void>;
}

/**
 * Follows `incident.reported` events from now on with an ordered (ephemeral, ack-less)
 * consumer and calls `onEvent(incidentId, performance.now())` as each one arrives. The
 * time therefore includes JetStream's delivery to this consumer, not only the PubAck.
 */
export async function watchReportedEvents(source: ReportedEventsSource, onEvent: (incidentId: string, atMs: number) => void): Promise<EventWatch> {
  const nc = await connect({ servers: source.natsUrl, name: 'intake-bench' });
  try {
    const consumer = await jetstream(nc).consumers.get(source.stream, { filter_subjects: source.filterSubject, deliver_policy: DeliverPolicy.New });
    const messages = await consumer.consume({ max_messages: 1000 });
    const loop = (async () => {
      for await (const message of messages) {
        const atMs = performance.now();
        const id = incidentIdOf(message.json<unknown>());
        if (id !== undefined) onEvent(id, atMs);
      }
    })();
    return {
      async stop() {
        messages.stop();
        await loop;
        await nc.close();
      },
    };
  } catch (error) {
    await nc.close();
    throw error;
  }
}

/**
 * Follows `subject` with a plain core NATS subscription (nothing is created on the server)
 * and calls `onEvent(incidentId, performance.now())` for each message: a JetStream publish
 * is an ordinary NATS message that the stream also stores, so this sees each event when it
 * is published, redeliveries never, and nothing published before the subscription.
 */
export async function watchSubject(natsUrl: string, subject: string, onEvent: (incidentId: string, atMs: number) => void): Promise<EventWatch> {
  const nc = await connect({ servers: natsUrl, name: 'bench-watch' });
  nc.subscribe(subject, {
    callback: (error: Error | null, message: Msg) => {
      if (error) return;
      const atMs = performance.now();
      let id: string | undefined;
      try {
        id = incidentIdOf(message.json<unknown>());
      } catch {
        return; // not JSON: not an event of ours
      }
      if (id !== undefined) onEvent(id, atMs);
    },
  });
  await nc.flush();
  return { stop: () => nc.drain() };
}

function incidentIdOf(event: unknown): string | undefined {
  const data = (event as { data?: { incidentId?: unknown } } | null)?.data;
  return typeof data?.incidentId === 'string' ? data.incidentId : undefined;
}
