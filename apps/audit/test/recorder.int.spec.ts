import { connectJetStream, EventPublisher, provisionStreams, Topology, type DeadLetters, type TypedEvent } from '@watchfloor/messaging';
import { expectEventually, useNats } from '@watchfloor/testing';
import pino from 'pino';
import type { NewEntry } from '../src/chain/entry.record';
import { RECORDED_STREAMS, StreamRecorder } from '../src/recording/stream-recorder';
import { anIncidentFlow } from './incident-flow';

describe('StreamRecorder when appends fail (the database is away)', () => {
  it('retries the same batch in place until it commits: nothing lost, nothing reordered, nothing dead-lettered', async () => {
    const nats = await useNats();
    const connection = await connectJetStream({ servers: nats.url, name: 'audit-recorder-test', logger: pino({ level: 'silent' }) });
    const topology = new Topology(nats.namespace);
    const recorded: string[] = [];
    const deadLettered: string[] = [];
    let failuresLeft = 3;
    const incidents = RECORDED_STREAMS.find((stream) => stream.stream === 'INCIDENTS');
    if (!incidents) throw new Error('INCIDENTS is not recorded');
    const recorder = new StreamRecorder({
      recorded: incidents,
      js: connection.js,
      jsm: connection.jsm,
      topology,
      // The real dead-letter store needs a database; this one only says whether it was asked.
      deadLetters: { record: async (letter: { eventId?: string }) => void deadLettered.push(letter.eventId ?? '?') } as unknown as DeadLetters,
      logger: pino({ level: 'silent' }),
      batchSize: 5,
      retryMs: 20,
      ackWaitMs: 2000,
      append: async (entries: readonly NewEntry[]) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('connection terminated');
        }
        recorded.push(...entries.map((entry) => entry.eventId));
        return { appended: entries.length, repeats: 0 };
      },
    });
    try {
      await provisionStreams(connection.jsm, topology);
      const events = [...anIncidentFlow(), ...anIncidentFlow()].filter((event) => event.type.startsWith('watchfloor.incident.'));
      const publisher = new EventPublisher(connection.js, topology);
      for (const event of events) await publisher.publish(event as TypedEvent);
      await recorder.start();
      await expectEventually(() => expect(recorded).toEqual(events.map((event) => event.id)), { timeoutMs: 15_000 });
      expect(failuresLeft).toBe(0);
      expect(deadLettered).toEqual([]);
      const info = await connection.jsm.consumers.info(topology.streamName('INCIDENTS'), incidents.durable);
      await expectEventually(async () => expect((await connection.jsm.consumers.info(topology.streamName('INCIDENTS'), incidents.durable)).num_ack_pending).toBe(0));
      expect(info.num_redelivered).toBe(0);
    } finally {
      await recorder.stop();
      await connection.close();
      await nats.cleanup();
    }
  });
});
