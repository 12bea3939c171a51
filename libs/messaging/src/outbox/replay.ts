import type { DataSource } from 'typeorm';
import { dataSourceSchema, quoteIdent } from '@watchfloor/persistence';

/** Options of {@link replayOutbox}. */
export interface ReplayOutboxOptions {
  /** Schema holding the outbox (default: the data source's schema). */
  schema?: string;
  /** Re-queue only rows created before this instant (default: no upper bound). */
  until?: Date;
}

/**
 * Reconciliation: marks outbox rows created since `since` unpublished, so the relay
 * publishes them again (after a broker lost acknowledged messages, say). Safe to run at
 * any time: the broker drops repeats inside its duplicate window by `Nats-Msg-Id`, and
 * every consumer's inbox drops the rest. Rows already deleted by retention are gone.
 * Returns how many rows were re-queued.
 */
export async function replayOutbox(dataSource: DataSource, since: Date, options: ReplayOutboxOptions = {}): Promise<number> {
  const table = `${quoteIdent(options.schema ?? dataSourceSchema(dataSource))}.outbox`;
  // Counted through a CTE: TypeORM returns UPDATE results in another shape than SELECT's.
  const rows = await dataSource.query<Array<{ n: number }>>(
    `WITH requeued AS (
       UPDATE ${table} SET published_at = NULL
        WHERE published_at IS NOT NULL AND created_at >= $1 AND ($2::timestamptz IS NULL OR created_at < $2)
        RETURNING 1)
     SELECT count(*)::int AS n FROM requeued`,
    [since, options.until ?? null],
  );
  return rows[0]?.n ?? 0;
}
