import { quoteIdent } from '@watchfloor/persistence';
import { inboxConsumerName, PRODUCERS, ROUTES, type Route, type ServiceSchema } from './routes';

/** What the comparison needs of a Postgres connection (a `pg` Client or Pool). */
export interface Queryable {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** An event a consumer should hold and does not (or an outbox row never published). */
export interface MissingEvent {
  eventId: string;
  type: string;
  createdAt: Date;
}

/** The result for one (producer -> consumer) route. */
export interface RouteReport {
  producer: ServiceSchema;
  consumer: ServiceSchema;
  /** Published events of the window the consumer handles. */
  checked: number;
  missing: number;
  /** The earliest missing events, oldest first, at most `sampleSize`. */
  firstMissing: MissingEvent[];
  /** created_at of the earliest missing event: where a replay must start. */
  earliestMissing?: Date;
}

/** Outbox rows of a producer its relay has not published though they are older than the grace. */
export interface StuckOutbox {
  producer: ServiceSchema;
  unpublished: number;
  firstUnpublished: MissingEvent[];
}

export interface IntegrityReport {
  since: Date;
  until: Date;
  routes: RouteReport[];
  stuck: StuckOutbox[];
  /** Producers with events missing somewhere, and where their replay must start. */
  repairs: Array<{ producer: ServiceSchema; since: Date }>;
  consistent: boolean;
}

export interface CompareOptions {
  /** Window of outbox `created_at`, [since, until). */
  since: Date;
  until: Date;
  /** Missing event ids listed per route (default 5). */
  sampleSize?: number;
}

interface CountRow {
  checked: string;
  missing: string;
  earliest: Date | null;
  sample: Array<{ event_id: string; type: string; created_at: string }> | null;
}

function toMissing(sample: CountRow['sample']): MissingEvent[] {
  return (sample ?? []).map((row) => ({ eventId: row.event_id, type: row.type, createdAt: new Date(row.created_at) }));
}

/**
 * The anti-join of one route: published outbox rows of the window whose type the consumer
 * handles, without a record at the consumer. Each probe hits a unique index (inbox primary
 * key, audit.entry event_id), and the outbox side is the created_at index: one pass.
 */
function routeQuery(route: Route): string {
  const outbox = `${quoteIdent(route.producer)}.outbox`;
  const held =
    route.record.kind === 'inbox'
      ? `SELECT 1 FROM ${quoteIdent(route.record.schema)}.inbox i WHERE i.consumer = c.consumer AND i.event_id = c.event_id`
      : `SELECT 1 FROM audit.entry e WHERE e.event_id = c.event_id`;
  return `
    WITH handled(type, consumer) AS (SELECT * FROM unnest($3::text[], $4::text[])),
    checked AS (
      SELECT o.event_id, o.type, o.created_at, h.consumer
        FROM ${outbox} o JOIN handled h ON h.type = o.type
       WHERE o.published_at IS NOT NULL AND o.created_at >= $1 AND o.created_at < $2
    ),
    missing AS (SELECT c.event_id, c.type, c.created_at FROM checked c WHERE NOT EXISTS (${held}))
    SELECT (SELECT count(*) FROM checked) AS checked,
           (SELECT count(*) FROM missing) AS missing,
           -- Floored to milliseconds (what a JS Date holds), so a replay from it includes the row.
           (SELECT date_trunc('milliseconds', min(created_at)) FROM missing) AS earliest,
           (SELECT json_agg(s ORDER BY s.created_at) FROM (SELECT * FROM missing ORDER BY created_at LIMIT $5) s) AS sample`;
}

async function compareRoute(db: Queryable, route: Route, options: Required<CompareOptions>): Promise<RouteReport> {
  const types = [...route.types];
  const consumers = types.map((type) => inboxConsumerName(route.consumer, type));
  const { rows } = await db.query<CountRow>(routeQuery(route), [options.since, options.until, types, consumers, options.sampleSize]);
  const row = rows[0] as CountRow;
  return {
    producer: route.producer,
    consumer: route.consumer,
    checked: Number(row.checked),
    missing: Number(row.missing),
    firstMissing: toMissing(row.sample),
    ...(row.earliest ? { earliestMissing: row.earliest } : {}),
  };
}

/**
 * Unpublished rows created before the end of the window: the relay should have published
 * them by now. Not bounded by `since`: a relay stuck for longer than the window is worse.
 */
async function stuckRows(db: Queryable, producer: ServiceSchema, options: Required<CompareOptions>): Promise<StuckOutbox> {
  const outbox = `${quoteIdent(producer)}.outbox`;
  const { rows } = await db.query<Omit<CountRow, 'checked' | 'earliest'>>(
    `WITH stuck AS (SELECT event_id, type, created_at FROM ${outbox} WHERE published_at IS NULL AND created_at < $1)
     SELECT (SELECT count(*) FROM stuck) AS missing,
            (SELECT json_agg(s ORDER BY s.created_at) FROM (SELECT * FROM stuck ORDER BY created_at LIMIT $2) s) AS sample`,
    [options.until, options.sampleSize],
  );
  const row = rows[0] as Omit<CountRow, 'checked' | 'earliest'>;
  return { producer, unpublished: Number(row.missing), firstUnpublished: toMissing(row.sample) };
}

/** Compares what every consumer holds with what every producer published in the window. */
export async function compareStages(db: Queryable, options: CompareOptions): Promise<IntegrityReport> {
  const resolved = { sampleSize: 5, ...options };
  const routes: RouteReport[] = [];
  for (const route of ROUTES) routes.push(await compareRoute(db, route, resolved));
  const stuck: StuckOutbox[] = [];
  for (const producer of PRODUCERS) {
    const found = await stuckRows(db, producer, resolved);
    if (found.unpublished > 0) stuck.push(found);
  }
  const repairs: IntegrityReport['repairs'] = [];
  for (const producer of PRODUCERS) {
    const earliest = routes
      .filter((route) => route.producer === producer && route.earliestMissing)
      .map((route) => (route.earliestMissing as Date).getTime());
    if (earliest.length > 0) repairs.push({ producer, since: new Date(Math.min(...earliest)) });
  }
  const consistent = routes.every((route) => route.missing === 0) && stuck.length === 0;
  return { since: options.since, until: options.until, routes, stuck, repairs, consistent };
}
