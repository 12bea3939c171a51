import type { DataSource } from 'typeorm';
import { dataSourceSchema, quoteIdent } from '../migration-schema';

/**
 * The replicas' shared rate-limit counts in the service's `rate_limit_count` table (platform's
 * `SharedRateLimitCounts`). One statement per sync, whatever the number of callers: it deletes
 * the windows that are over and upserts every delta, in key order (so two replicas' syncs
 * never deadlock), returning each key's total over every replica.
 */
export class PostgresRateLimitCounts {
  private readonly statement: string;

  constructor(private readonly dataSource: DataSource) {
    const table = `${quoteIdent(dataSourceSchema(dataSource))}.rate_limit_count`;
    this.statement = `
      WITH forgotten AS (DELETE FROM ${table} WHERE window_start < to_timestamp($2::bigint / 1000.0))
      INSERT INTO ${table} AS counted (window_start, caller_key, requests)
      SELECT to_timestamp($1::bigint / 1000.0), delta.caller_key, delta.requests
        FROM unnest($3::text[], $4::int[]) AS delta (caller_key, requests)
       ORDER BY delta.caller_key
      ON CONFLICT (window_start, caller_key) DO UPDATE SET requests = counted.requests + excluded.requests
      RETURNING caller_key, requests`;
  }

  /** Platform's `RateLimitDeltas` (persistence does not depend on platform). */
  async add({ windowStart, forgetBefore, deltas }: { windowStart: number; forgetBefore: number; deltas: ReadonlyMap<string, number> }): Promise<ReadonlyMap<string, number>> {
    const rows: { caller_key: string; requests: number }[] = await this.dataSource.query(this.statement, [windowStart, forgetBefore, [...deltas.keys()], [...deltas.values()]]);
    return new Map(rows.map((row) => [row.caller_key, row.requests]));
  }
}
