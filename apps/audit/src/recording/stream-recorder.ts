import { AckPolicy, DeliverPolicy, ReplayPolicy, type ConsumerConfig, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import type { Span, Tracer } from '@opentelemetry/api';
import { EVENT_CATALOGUE, STREAMS, type StreamName } from '@watchfloor/contracts';
import { checkEvent, describeError, describeProblems, ensureConsumer, misrouting, startConsumerSpan, type DeadLetters, type MessagingLogger, type Topology } from '@watchfloor/messaging';
import { counter, recordFailure, TRACING_OFF } from '@watchfloor/platform';
import type { NewEntry } from '../chain/entry.record';
import { entryOfEvent, type ReceivedEvent } from './entry-of-event';

const NANOS_PER_MS = 1_000_000;
const MAX_RETRY_MS = 30_000;

/** How long one pull waits on the server (the messaging lib's consumers use the same). */
const PULL_EXPIRES_MS = 5_000;

/** A stream audit records, with its one durable consumer. */
export interface RecordedStream {
  stream: StreamName;
  /** `audit--incidents`, `audit--notifications`. */
  durable: string;
  /** Every subject of the stream: `incident.>`. */
  filterSubject: string;
}

/** The streams audit records: every event of INCIDENTS and NOTIFICATIONS (not its own checkpoints). */
export const RECORDED_STREAMS: readonly RecordedStream[] = (['INCIDENTS', 'NOTIFICATIONS'] as const).map((stream) => ({
  stream,
  durable: `audit--${stream.toLowerCase()}`,
  filterSubject: STREAMS[stream].subjects,
}));

/** Appends a batch of entries in one transaction (the chain appender). */
export type AppendBatch = (entries: readonly NewEntry[]) => Promise<{ appended: number; repeats: number }>;

/** What a {@link StreamRecorder} needs. */
export interface StreamRecorderDeps {
  recorded: RecordedStream;
  js: JetStreamClient;
  jsm: JetStreamManager;
  topology: Topology;
  append: AppendBatch;
  deadLetters: DeadLetters;
  logger: MessagingLogger;
  /** Most events in one append. */
  batchSize: number;
  /** First wait before a failed batch is tried again (doubling up to 30 s). */
  retryMs: number;
  /** The consumer's ack wait. */
  ackWaitMs: number;
  /** Each recorded event's `process <subject>` span, from read to ack (the no-op tracer when tracing is off). */
  tracer?: Tracer;
}

const recorded = counter({ name: 'watchfloor_audit_events_total', help: 'Events audit took from a stream, by outcome', labelNames: ['stream', 'outcome'] });

type Reading = { entry: NewEntry; span: Span } | { error: string; eventId?: string; eventType?: string };

/**
 * Records every event of one stream through one durable consumer that filters on all its
 * subjects, so the chain follows the stream's order (a report before its triage, whatever
 * the types). Messages are taken in batches: whatever arrived while the previous batch
 * was being committed, up to `batchSize`, is appended in one transaction and acked after
 * the commit. A batch that fails (the database is away) is retried in place, in order,
 * until it succeeds: nothing is dropped and nothing is dead-lettered for an outage. Only
 * an event that breaks the contract is dead-lettered, at once.
 *
 * Why not the per-type consumers of the Nest transport: audit's handler is the same for
 * every type, and one consumer per stream keeps stream order and lets appends be batched
 * (one transaction per message would serialise every commit on the chain head lock).
 */
export class StreamRecorder {
  private queue: JsMsg[] = [];
  private messages: ConsumerMessages | undefined;
  private wake: (() => void) | undefined;
  private interruptPause: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly deps: StreamRecorderDeps) {}

  /** The durable consumer's server configuration. */
  consumerConfig(): Partial<ConsumerConfig> & { durable_name: string } {
    const { recorded: spec, topology, batchSize } = this.deps;
    return {
      durable_name: spec.durable,
      description: `audit records every event of ${spec.stream}`,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
      filter_subject: topology.subject(spec.filterSubject),
      // Never given up on: an outage is waited out, and invalid events are terminated by hand.
      max_deliver: -1,
      ack_wait: this.deps.ackWaitMs * NANOS_PER_MS,
      // The server stops delivering past this: the bound on what waits in memory.
      max_ack_pending: batchSize * 4,
    };
  }

  /** Stream name on the server. */
  get streamName(): string {
    return this.deps.topology.streamName(this.deps.recorded.stream);
  }

  /** Creates (or updates) the durable consumer and starts recording. */
  async start(): Promise<void> {
    await ensureConsumer(this.deps.jsm, this.streamName, this.consumerConfig());
    this.stopping = false;
    this.loop ??= this.run();
  }

  /** Stops taking messages, lets the batch in progress finish, and hands back the rest. */
  async stop(): Promise<void> {
    this.stopping = true;
    const messages = this.messages;
    this.messages = undefined;
    await messages?.close().catch(() => undefined);
    this.wake?.();
    this.interruptPause?.();
    await this.loop;
    this.loop = undefined;
    for (const message of this.queue.splice(0)) message.nak();
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        await this.subscribe();
        const batch = await this.nextBatch();
        if (batch.length > 0) await this.record(batch);
        failures = 0;
      } catch (error) {
        if (this.stopping) break;
        failures += 1;
        this.deps.logger.warn({ err: describeError(error), consumer: this.deps.recorded.durable }, 'audit consumer failed; retrying');
        await this.pause(Math.min(MAX_RETRY_MS, this.deps.retryMs * 2 ** Math.min(failures - 1, 10)));
      }
    }
  }

  private async subscribe(): Promise<void> {
    if (this.messages) return;
    const consumer = await this.deps.js.consumers.get(this.streamName, this.deps.recorded.durable);
    const messages = await consumer.consume({
      max_messages: this.deps.batchSize * 2,
      // Short pulls: after a NATS server dies the next pull reaches the consumer's new leader
      // within seconds (the client's default 30 s left audit idle for up to a minute).
      expires: PULL_EXPIRES_MS,
      callback: (message) => {
        if (this.stopping) {
          message.nak();
          return;
        }
        this.queue.push(message);
        this.wake?.();
      },
    });
    this.messages = messages;
    // If the subscription ends by itself (consumer deleted, connection closed), subscribe again.
    void messages.closed().then(() => {
      if (this.messages === messages) this.messages = undefined;
      this.wake?.();
    });
  }

  private async nextBatch(): Promise<JsMsg[]> {
    while (!this.stopping && this.queue.length === 0 && this.messages) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    return this.stopping ? [] : this.queue.splice(0, this.deps.batchSize);
  }

  private async record(batch: JsMsg[]): Promise<void> {
    const entries: NewEntry[] = [];
    const accepted: JsMsg[] = [];
    const spans: Span[] = [];
    for (const message of batch) {
      const reading = this.read(message);
      if ('entry' in reading) {
        entries.push(reading.entry);
        accepted.push(message);
        spans.push(reading.span);
      } else {
        await this.deadLetter(message, reading);
      }
    }
    if (entries.length === 0) return;
    let outcome: { appended: number; repeats: number } | undefined;
    try {
      outcome = await this.appendUntilDone(entries, accepted);
    } finally {
      for (const span of spans) {
        if (!outcome) recordFailure(span, new Error('not recorded: audit stopped while the append failed'));
        span.end();
      }
    }
    if (!outcome) return;
    // Only after the commit: a lost ack means a redelivery, which the chain drops as a repeat.
    for (const message of accepted) message.ack();
    recorded.inc({ stream: this.deps.recorded.stream, outcome: 'appended' }, outcome.appended);
    if (outcome.repeats > 0) recorded.inc({ stream: this.deps.recorded.stream, outcome: 'repeat' }, outcome.repeats);
  }

  /** Appends, retrying the same batch in place (so the order holds) until it commits or the recorder stops. */
  private async appendUntilDone(entries: NewEntry[], messages: JsMsg[]): Promise<{ appended: number; repeats: number } | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.deps.append(entries);
      } catch (error) {
        const delay = Math.min(this.deps.ackWaitMs / 2, this.deps.retryMs * 2 ** Math.min(attempt - 1, 10));
        this.deps.logger.error({ err: describeError(error), consumer: this.deps.recorded.durable, events: entries.length, attempt, retryInMs: delay }, 'audit append failed; retrying the batch');
        if (this.stopping) {
          for (const message of messages) message.nak();
          return undefined;
        }
        // Keep these and the queued messages ours while we wait (the wait is shorter than the ack wait).
        for (const message of [...messages, ...this.queue]) message.working();
        await this.pause(delay);
      }
    }
  }

  private read(message: JsMsg): Reading {
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message.data));
    } catch {
      return { error: 'invalid event: body is not UTF-8 JSON' };
    }
    const check = checkEvent(raw);
    if (!check.ok) return { error: `invalid event: ${describeProblems(check.errors)}`, ...check.claimed && { eventId: check.claimed.id, eventType: check.claimed.type } };
    const { event } = check;
    if (EVENT_CATALOGUE[event.type].stream !== this.deps.recorded.stream) {
      return { error: `invalid event: ${event.type} does not belong on ${this.deps.recorded.stream}`, eventId: event.id, eventType: event.type };
    }
    // What the chain records must be what was published where it belongs (the shared consumers' rule).
    const wrongSubject = misrouting(event, this.deps.topology.baseSubject(message.subject));
    if (wrongSubject) return { error: `misrouted event: ${wrongSubject}`, eventId: event.id, eventType: event.type };
    const span = startConsumerSpan(this.deps.tracer ?? TRACING_OFF.tracer, { subject: message.subject, durable: this.deps.recorded.durable, deliveryCount: message.info.deliveryCount, event });
    return { entry: entryOfEvent(raw as ReceivedEvent, this.deps.topology.baseSubject(message.subject)), span };
  }

  private async deadLetter(message: JsMsg, reading: Exclude<Reading, { entry: NewEntry }>): Promise<void> {
    const consumer = this.deps.recorded.durable;
    try {
      await this.deps.deadLetters.record({
        consumer,
        message,
        error: reading.error,
        ...(reading.eventId !== undefined ? { eventId: reading.eventId } : {}),
        ...(reading.eventType !== undefined ? { eventType: reading.eventType } : {}),
      });
    } catch (error) {
      // Without its record the message must not disappear: it comes back later.
      this.deps.logger.error({ err: describeError(error), consumer, subject: message.subject }, 'dead letter not recorded; will retry');
      message.nak(this.deps.retryMs);
      return;
    }
    message.term();
    recorded.inc({ stream: this.deps.recorded.stream, outcome: 'dead_lettered' });
    this.deps.logger.warn({ consumer, subject: message.subject, seq: message.seq, error: reading.error }, 'event dead-lettered');
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      // Only stop() cuts a pause short; arriving messages must not.
      this.interruptPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
