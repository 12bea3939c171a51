import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { expectEventually } from './eventually';

/** What the checks need of one event on a stream. */
export interface StreamEvent {
  id: string;
  type: string;
  incidentId?: string;
  deliveryId?: string;
  updateId?: string;
  level?: number;
  subject: string;
}

/**
 * Every message of `stream`, in order, read with an ordered consumer (nothing left behind
 * on the server). With a server down, nats-server 2.9 places about one ephemeral consumer
 * in three on the dead server and the create request times out: it is simply asked again.
 */
export async function readStream(js: JetStreamClient, jsm: JetStreamManager, stream: string): Promise<StreamEvent[]> {
  const { state } = await jsm.streams.info(stream);
  if (state.messages === 0) return [];
  const consumer = await expectEventually(() => js.consumers.get(stream), { timeoutMs: 60_000, intervalMs: 100 });
  const messages = await consumer.consume();
  const events: StreamEvent[] = [];
  for await (const message of messages) {
    const event = parsed(message.data);
    if (event) {
      const { data } = event;
      events.push({ id: event.id, type: event.type, incidentId: data?.incidentId, deliveryId: data?.deliveryId, updateId: data?.updateId, level: data?.level, subject: message.subject });
    }
    if (message.seq >= state.last_seq) break;
  }
  await messages.close();
  return events;
}

type Envelope = { id: string; type: string; data?: { incidentId?: string; deliveryId?: string; updateId?: string; level?: number } };

/** The message as an event; undefined for one that is not even JSON (a poison message). */
function parsed(data: Uint8Array): Envelope | undefined {
  try {
    return JSON.parse(new TextDecoder().decode(data)) as Envelope;
  } catch {
    return undefined;
  }
}

/** How many times each value occurs. */
export function tally(values: Iterable<string | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
