import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { DataSource } from 'typeorm';
import { EventHeaders } from '@watchfloor/contracts';
import { quoteIdent } from '@watchfloor/persistence';
import { fromMsgHdrs, toMsgHdrs } from './headers';
import { defaultLogger, describeError, type MessagingLogger } from './logger';
import type { Topology } from './topology/topology';

/** Headers added to a message copied to `deadletter.<service>.<subject>`. */
export const DeadLetterHeaders = {
  originalSubject: 'original-subject',
  error: 'error',
  deliveries: 'deliveries',
  consumer: 'consumer',
  stream: 'original-stream',
  streamSeq: 'original-seq',
} as const;

/** A message a consumer gives up on. */
export interface DeadLetter {
  consumer: string;
  message: JsMsg;
  error: string;
  /** The event's id and type, when the body was a readable event. */
  eventId?: string;
  eventType?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const NUL = String.fromCharCode(0);

/** Postgres text (and jsonb) cannot hold NUL: a hostile message's NULs would make its dead letter unrecordable. */
function storable(text: string): string {
  return text.split(NUL).join('');
}

/** The body as text, without NULs. */
function readableBody(data: Uint8Array): string {
  return storable(Buffer.from(data).toString('utf8'));
}

/** Headers as they can be stored (what the producer sent, NULs dropped). */
function storableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [storable(name), storable(value)]));
}

/** The type an unreadable event claims is the sender's text: kept short (the payload holds it whole). */
const CLAIMED_TYPE_MAX = 200;

/** Header values are one line; keep them short too. */
function headerSafe(text: string): string {
  return text.replace(/[\r\n]+/g, ' ').slice(0, 1_000);
}

/**
 * Records dead letters: first a row in the service's `dead_letter` table (Postgres is the
 * record; a repeat for the same stream message is ignored), then a copy of the original
 * message on `deadletter.<service>.<original subject>` with the error.
 */
export class DeadLetters {
  private readonly table: string;
  private readonly logger: MessagingLogger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly js: JetStreamClient,
    private readonly topology: Topology,
    private readonly service: string,
    schema: string,
    logger?: MessagingLogger,
  ) {
    this.table = `${quoteIdent(schema)}.dead_letter`;
    this.logger = logger ?? defaultLogger('dead-letters');
  }

  /** Stores and publishes a dead letter. Throws only when the row could not be written. */
  async record(letter: DeadLetter): Promise<void> {
    const { message } = letter;
    const headers = fromMsgHdrs(message.headers);
    const eventId = letter.eventId ?? headers[EventHeaders.msgId];
    const claimedType = letter.eventType ?? headers[EventHeaders.type];
    await this.dataSource.query(
      `INSERT INTO ${this.table} (consumer, stream, stream_seq, event_id, type, subject, headers, payload, error, deliveries)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10) ON CONFLICT DO NOTHING`,
      [
        letter.consumer, message.info.stream, message.seq, eventId && UUID.test(eventId) ? eventId : null,
        claimedType === undefined ? null : storable(claimedType).slice(0, CLAIMED_TYPE_MAX), storable(message.subject), JSON.stringify(storableHeaders(headers)),
        readableBody(message.data), storable(letter.error), message.info.deliveryCount,
      ],
    );
    try {
      await this.publish(letter, headers);
    } catch (error) {
      // The row is the record; the stream copy is for operators and automations.
      this.logger.error({ err: describeError(error), consumer: letter.consumer, subject: message.subject }, 'dead letter not published');
    }
  }

  private async publish(letter: DeadLetter, original: Record<string, string>): Promise<void> {
    const { message } = letter;
    const headers = {
      ...original,
      // Its own id: two consumers' dead letters of one event must not be taken as repeats.
      [EventHeaders.msgId]: `dl:${letter.consumer}:${message.info.stream}:${message.seq}`,
      [DeadLetterHeaders.originalSubject]: message.subject,
      [DeadLetterHeaders.error]: headerSafe(letter.error),
      [DeadLetterHeaders.deliveries]: String(message.info.deliveryCount),
      [DeadLetterHeaders.consumer]: letter.consumer,
      [DeadLetterHeaders.stream]: message.info.stream,
      [DeadLetterHeaders.streamSeq]: String(message.seq),
    };
    await this.js.publish(this.topology.deadLetterSubject(this.service, message.subject), message.data, { headers: toMsgHdrs(headers) });
  }
}
