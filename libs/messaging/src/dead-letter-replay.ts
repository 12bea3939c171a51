import type { JetStreamClient } from '@nats-io/jetstream';
import type { DataSource } from 'typeorm';
import { EventHeaders } from '@watchfloor/contracts';
import { dataSourceSchema, inTransaction, quoteIdent } from '@watchfloor/persistence';
import { toMsgHdrs, type HeaderMap } from './headers';

/** Which dead letters {@link replayDeadLetters} re-publishes. */
export interface ReplayDeadLettersOptions {
  /** Only this consumer's (durable name); default all. */
  consumer?: string;
  /** Only those dead-lettered since; default all. */
  since?: Date;
  /** Schema holding `dead_letter` (default: the data source's). */
  schema?: string;
}

interface DeadLetterRow {
  id: string;
  subject: string;
  headers: HeaderMap;
  payload: string;
}

/**
 * Re-publishes dead letters not yet replayed to their original subjects (after the bug that
 * made them fail is fixed) and marks them replayed. Every consumer of the subject receives
 * them again; those that handled the event before drop it by their inbox. Each replay gets
 * its own `Nats-Msg-Id`, so the broker does not take it for the original. Returns how many.
 */
export async function replayDeadLetters(dataSource: DataSource, js: JetStreamClient, options: ReplayDeadLettersOptions = {}): Promise<number> {
  const table = `${quoteIdent(options.schema ?? dataSourceSchema(dataSource))}.dead_letter`;
  return inTransaction(dataSource, async (manager) => {
    const rows = await manager.query<DeadLetterRow[]>(
      `SELECT id, subject, headers, payload FROM ${table}
        WHERE replayed_at IS NULL AND ($1::text IS NULL OR consumer = $1) AND ($2::timestamptz IS NULL OR created_at >= $2)
        ORDER BY id FOR UPDATE SKIP LOCKED`,
      [options.consumer ?? null, options.since ?? null],
    );
    await Promise.all(rows.map((row) => js.publish(row.subject, row.payload, {
      headers: toMsgHdrs({ ...row.headers, [EventHeaders.msgId]: `replay:${table}:${row.id}` }),
    })));
    if (rows.length > 0) {
      await manager.query(`UPDATE ${table} SET replayed_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [rows.map((row) => row.id)]);
    }
    return rows.length;
  });
}
