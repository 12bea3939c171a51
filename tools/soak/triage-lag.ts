import type { Client } from 'pg';

/** How long reports waited for triage: from intake's `incident.reported` to triage's `incident.triaged`, both by Postgres's clock. */
export interface TriageLag {
  p50S: number;
  p99S: number;
  maxS: number;
  /** p99 of the reports made in each minute of the load, in order. */
  p99ByMinuteS: number[];
}

/** Reads the lag from the two outboxes (each row's `created_at` is its commit's transaction time). */
export async function measureTriageLag(sql: Client, loadStartedAt: Date): Promise<TriageLag> {
  const { rows } = await sql.query<{ minute: number | null; p50: number; p99: number; max: number }>(
    `WITH lag AS (
       SELECT floor(extract(epoch FROM r.created_at - $1::timestamptz) / 60)::int AS minute, extract(epoch FROM t.created_at - r.created_at) AS seconds
         FROM intake.outbox r JOIN triage.outbox t
           ON t.type = 'watchfloor.incident.triaged.v1' AND t.payload::jsonb #>> '{data,incidentId}' = r.payload::jsonb #>> '{data,incidentId}'
        WHERE r.type = 'watchfloor.incident.reported.v1')
     SELECT minute, percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds) AS p50, percentile_disc(0.99) WITHIN GROUP (ORDER BY seconds) AS p99, max(seconds) AS max
       FROM lag GROUP BY ROLLUP (minute) ORDER BY minute NULLS FIRST`,
    [loadStartedAt],
  );
  const [all, ...minutes] = rows;
  const round = (seconds: unknown) => Math.round(Number(seconds) * 10) / 10;
  return { p50S: round(all?.p50 ?? 0), p99S: round(all?.p99 ?? 0), maxS: round(all?.max ?? 0), p99ByMinuteS: minutes.map((m) => round(m.p99)) };
}
