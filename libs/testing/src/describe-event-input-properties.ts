import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import fc from 'fast-check';
import { Client } from 'pg';
import { validateEvent, type AnyEvent, type EventType } from '@watchfloor/contracts';
import { expectEventually } from './eventually';
import { belongsOn, describeMessage, hostileEventMessages, type RawEventMessage } from './event-arbitrary';
import { rowCounts } from './row-counts';
import { startServiceUnderTest, type CreateApp, type ServiceUnderTest } from './service-under-test';
import { tally } from './stream-reader';

/** What a service's spec gets to set up its valid events and check their effects. */
export interface EventPropertyContext {
  url: string;
  sql: Client;
  /** Publishes a valid event where it belongs, with its id as `Nats-Msg-Id`, as the producing service would. */
  publish(event: AnyEvent): Promise<void>;
  /** Publishes raw bytes on a subject of the suite's namespace (`incident.triaged.ga`), as a compromised producer would. */
  publishRaw(subject: string, body: string): Promise<void>;
  /** Rows of the service's dead_letter table with this event id. */
  deadLetters(eventId: string): Promise<Array<{ consumer: string; error: string }>>;
}

/** Options of {@link describeEventInputProperties}. */
export interface EventPropertyOptions {
  /** The event types the service consumes: hostile messages go to their subjects. */
  consumes: readonly EventType[];
  /**
   * Valid events, and valid ones meant to do harm (another namespace's incident, a version
   * far ahead, the longest lists), sent among a second round of hostile messages; resolves to
   * a check of their effects, run once the consumers are drained.
   */
  validEvents(context: EventPropertyContext): Promise<() => Promise<void>>;
  /** Tables that change by themselves (timers), left out of the "nothing written" comparison. */
  volatileTables?: readonly string[];
}

/** Hostile messages in the first round, and among the valid events in the second. */
const FIRST_ROUND = Number(process.env['FC_EVENT_RUNS'] ?? 40);
const SECOND_ROUND = 10;
const DRAINED_WITHIN_MS = 20_000;

/**
 * Property test of what a service consumes (issue 13, OWASP API10): a compromised or buggy
 * producer puts random and mutated messages raw on the service's subjects. Then the service is
 * still ready, every one of them is dead-lettered exactly once (its row in `dead_letter` and its
 * copy on the DEADLETTER stream, by stream sequence), no other table changed (inbox and outbox
 * included, so no event went out in response), and valid events sent among a second round of
 * them have their normal effect. `FC_SEED` replays a run (each failure prints its seed).
 */
export function describeEventInputProperties(service: string, createApp: CreateApp, options: EventPropertyOptions): void {
  describe(`${service}: any message on its subjects is handled or dead-lettered once, and a refused one changes nothing`, () => {
    let running: ServiceUnderTest;
    let sql: Client;
    let nc: NatsConnection;
    let js: JetStreamClient;
    let jsm: JetStreamManager;
    let topology: Names;

    beforeAll(async () => {
      running = await startServiceUnderTest(createApp);
      sql = new Client({ connectionString: running.databaseUrl });
      await sql.connect();
      nc = await connect({ servers: running.nats.url });
      js = jetstream(nc);
      jsm = await jetstreamManager(nc);
      topology = names(running.nats.namespace);
      await expectEventually(async () => expect((await fetch(`${running.url}/health/ready`)).status).toBe(200), { timeoutMs: DRAINED_WITHIN_MS });
    });
    afterAll(async () => {
      await nc?.close();
      await sql?.end();
      await running?.close();
    });

    it('dead-letters every hostile message once, writes nothing for it, and still handles valid events', async () => {
      const seed = Number(process.env['FC_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
      const [first, second] = [fc.sample(hostileEventMessages(options.consumes), { seed, numRuns: FIRST_ROUND }), fc.sample(hostileEventMessages(options.consumes), { seed: seed + 1, numRuns: SECOND_ROUND })];
      const failure = (what: string) => `${what} (FC_SEED=${seed})`;

      // Round one: only hostile messages. Nothing but dead letters may change.
      const tables = async () => omit(await rowCounts(sql, service), ['dead_letter', ...(options.volatileTables ?? [])]);
      const before = await tables();
      const streamsBefore = await eventStreamCounts();
      const sent = await sendAll(first);
      await drained(sent);
      await expectDeadLetteredOnce(sent, failure);
      expect({ tables: await tables(), streams: await eventStreamCounts() }).toEqual({ tables: before, streams: addSent(streamsBefore, sent) });
      expect((await fetch(`${running.url}/health/ready`)).status).toBe(200);

      // Round two: valid events among hostile messages, which must not hold them up.
      const context: EventPropertyContext = {
        url: running.url,
        sql,
        publish: async (event) => {
          const check = validateEvent(JSON.parse(JSON.stringify(event)));
          if (!check.ok) throw new Error(`not a valid event: ${JSON.stringify(check.errors)}`);
          await js.publish(topology.subject(belongsOn(event)), JSON.stringify(event), { msgID: event.id });
        },
        publishRaw: async (subject, body) => void (await js.publish(topology.subject(subject), body)),
        deadLetters: async (eventId) => (await sql.query<{ consumer: string; error: string }>(`SELECT consumer, error FROM ${service}.dead_letter WHERE event_id = $1`, [eventId])).rows,
      };
      const sentBefore = await sendAll(second.slice(0, SECOND_ROUND / 2));
      const checkEffects = await options.validEvents(context);
      const sentAfter = await sendAll(second.slice(SECOND_ROUND / 2));
      const everySent = [...sent, ...sentBefore, ...sentAfter];
      await drained(everySent);
      await expectDeadLetteredOnce(everySent, failure);
      await checkEffects();
      expect((await fetch(`${running.url}/health/ready`)).status).toBe(200);
    });

    /** A message as sent: its stream and sequence identify its dead letter. */
    interface Sent {
      message: RawEventMessage;
      stream: string;
      seq: number;
    }

    async function sendAll(messages: readonly RawEventMessage[]): Promise<Sent[]> {
      const sent: Sent[] = [];
      for (const message of messages) {
        const headers = natsHeaders();
        for (const [name, value] of Object.entries(message.headers)) headers.set(name, value);
        const ack = await js.publish(topology.subject(message.subject), message.body, { headers });
        // A hostile Nats-Msg-Id repeated inside the duplicate window: the broker drops it, nobody receives it.
        if (!ack.duplicate) sent.push({ message, stream: ack.stream, seq: ack.seq });
      }
      return sent;
    }

    /** The service's consumers have nothing pending or unacknowledged, and its dead letters of `sent` are written. */
    async function drained(sent: readonly Sent[]): Promise<void> {
      await expectEventually(
        async () => {
          for (const stream of ['INCIDENTS', 'NOTIFICATIONS']) {
            for await (const consumer of jsm.consumers.list(topology.streamName(stream))) {
              if (!consumer.name.startsWith(`${service}--`)) continue;
              const left = consumer.num_pending + consumer.num_ack_pending;
              if (left > 0) throw new Error(`${consumer.name}: ${consumer.num_pending} pending, ${consumer.num_ack_pending} unacknowledged`);
            }
          }
          const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${service}.dead_letter`);
          if ((rows[0]?.n ?? 0) < sent.length) throw new Error(`${rows[0]?.n} dead letters of at least ${sent.length}`);
        },
        { timeoutMs: DRAINED_WITHIN_MS, intervalMs: 100 },
      );
    }

    async function expectDeadLetteredOnce(sent: readonly Sent[], failure: (what: string) => string): Promise<void> {
      const { rows } = await sql.query<{ stream: string; stream_seq: string }>(`SELECT stream, stream_seq FROM ${service}.dead_letter`);
      const inTable = tally(rows.map((row) => `${row.stream}:${row.stream_seq}`));
      const onStream = tally(await deadLetterCopies());
      const wrong = sent
        .filter(({ stream, seq }) => inTable.get(`${stream}:${seq}`) !== 1 || onStream.get(`${stream}:${seq}`) !== 1)
        .map(({ message, stream, seq }) => `${stream}:${seq} ${inTable.get(`${stream}:${seq}`) ?? 0} rows, ${onStream.get(`${stream}:${seq}`) ?? 0} copies: ${describeMessage(message)}`);
      if (wrong.length > 0) throw new Error(failure(`not dead-lettered exactly once:\n${wrong.join('\n')}`));
    }

    /** `<original stream>:<original seq>` of each dead letter of this service on the DEADLETTER stream. */
    async function deadLetterCopies(): Promise<string[]> {
      const name = topology.deadLetterStream();
      const { state } = await jsm.streams.info(name);
      const copies: string[] = [];
      for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
        const message = await jsm.streams.getMessage(name, { seq });
        if (!message?.subject.startsWith(topology.subject(`deadletter.${service}.`))) continue;
        // The headers the messaging lib's DeadLetters adds (DeadLetterHeaders).
        copies.push(`${message.header.get('original-stream')}:${message.header.get('original-seq')}`);
      }
      return copies;
    }

    async function eventStreamCounts(): Promise<Record<string, number>> {
      const counts: Record<string, number> = {};
      for (const stream of ['INCIDENTS', 'NOTIFICATIONS', 'AUDIT']) counts[topology.streamName(stream)] = (await jsm.streams.info(topology.streamName(stream))).state.messages;
      return counts;
    }
  });
}

/** Stream and subject names in a test namespace, as the messaging lib's Topology makes them (libs/testing may not import it). */
interface Names {
  streamName(base: string): string;
  subject(base: string): string;
  deadLetterStream(): string;
}

function names(namespace: string): Names {
  return {
    streamName: (base) => `${namespace}_${base}`,
    subject: (base) => `${namespace}.${base}`,
    deadLetterStream: () => `${namespace}_DEADLETTER`,
  };
}

function addSent(counts: Record<string, number>, sent: ReadonlyArray<{ stream: string }>): Record<string, number> {
  const next = { ...counts };
  for (const { stream } of sent) next[stream] = (next[stream] ?? 0) + 1;
  return next;
}

function omit(counts: Record<string, number>, names: readonly string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([name]) => !names.includes(name)));
}
