import type { DeliveryChannel, DeliveryStatus, EventType, Tlp } from '@watchfloor/contracts';
import type { EntityManager } from 'typeorm';
import { type ClaimedDelivery, type DeliveryView, toClaimedDelivery, toDeliveryView } from './delivery.record';

/** The event as it will be sent, stored once for all its deliveries. */
export interface OutgoingEvent {
  eventId: string;
  type: EventType;
  incidentId?: string;
  tlp: Tlp;
  jurisdiction: string;
  publishedAt: Date;
  body: string;
  exercise?: string;
  /** The routing consumer's span, parent of the deliveries' spans (absent when tracing is off). */
  traceparent?: string;
}

/** A pending delivery of an event to one subscription. */
export interface NewDelivery {
  id: string;
  subscriptionId: string;
  channel: DeliveryChannel;
}

/** How an attempt is recorded. */
export type AttemptRecord =
  | { status: 'delivered'; httpStatus?: number; latencyMs: number }
  /** `retryInMs` from the outcome's commit, by Postgres's clock (the one `claimDue` compares with), not this process's. */
  | { status: 'failed'; retryInMs: number; error: string; httpStatus?: number }
  | { status: 'dead'; error: string; httpStatus?: number };

/** Filters of the delivery log. */
export interface DeliveryListQuery {
  ownerSub?: string;
  subscriptionId?: string;
  eventId?: string;
  status?: DeliveryStatus;
  before?: { at: string; id: string };
  limit: number;
}

/** The key of a delivery's target in SQL: a webhook's origin, or `smtp` for e-mail (see `targetKey`). */
const TARGET_KEY_SQL = `CASE WHEN s.channel = 'email' THEN 'smtp' ELSE substring(s.target from '^[a-z]+://[^/?#]+') END`;

const VIEW_COLUMNS = `d.id, d.event_id, e.type, e.incident_id, e.exercise, d.subscription_id, d.channel, d.status, d.attempts, d.last_error,
  d.last_http_status, d.last_attempt_at, d.next_attempt_at, d.delivered_at, d.latency_ms, d.created_at`;

/** TypeORM answers an UPDATE ... RETURNING with `[rows, affected]` and an INSERT with the rows: this gives the rows. */
function returned(result: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as Array<Record<string, unknown>>;
  return result as Array<Record<string, unknown>>;
}

/** SQL of the delivery ledger. */
export class DeliveryRepository {
  /**
   * Stores each outgoing event once (a repeat is ignored) and one pending delivery per
   * subscription it goes to, for several events in one statement; the unique (event,
   * subscription) drops any repeat. Returns how many deliveries are new, by event id.
   */
  async insertDeliveries(manager: EntityManager, routed: ReadonlyArray<{ event: OutgoingEvent; deliveries: readonly NewDelivery[] }>): Promise<Map<string, number>> {
    const withDeliveries = routed.filter((r) => r.deliveries.length > 0);
    if (withDeliveries.length === 0) return new Map();
    const events = withDeliveries.map((r) => r.event);
    const deliveries = withDeliveries.flatMap((r) => r.deliveries.map((d) => ({ ...d, eventId: r.event.eventId })));
    const rows: Array<{ event_id: string }> = await manager.query(
      `WITH event AS (
         INSERT INTO notification_event (event_id, type, incident_id, tlp, jurisdiction, published_at, body, exercise, traceparent)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::timestamptz[], $7::text[], $8::text[], $9::text[])
         ON CONFLICT (event_id) DO NOTHING
       )
       INSERT INTO delivery (id, event_id, subscription_id, channel, next_attempt_at, created_at, updated_at)
       SELECT id, event_id, subscription_id, channel, now(), date_trunc('milliseconds', now()), now()
       FROM unnest($10::uuid[], $11::uuid[], $12::uuid[], $13::text[]) AS t (id, event_id, subscription_id, channel)
       ON CONFLICT (event_id, subscription_id) DO NOTHING
       RETURNING event_id`,
      [
        events.map((e) => e.eventId), events.map((e) => e.type), events.map((e) => e.incidentId ?? null), events.map((e) => e.tlp),
        events.map((e) => e.jurisdiction), events.map((e) => e.publishedAt), events.map((e) => e.body), events.map((e) => e.exercise ?? null),
        events.map((e) => e.traceparent ?? null),
        deliveries.map((d) => d.id), deliveries.map((d) => d.eventId), deliveries.map((d) => d.subscriptionId), deliveries.map((d) => d.channel),
      ],
    );
    const created = new Map<string, number>();
    for (const { event_id: eventId } of rows) created.set(eventId, (created.get(eventId) ?? 0) + 1);
    return created;
  }

  /**
   * Claims up to `limit` due deliveries for this replica: each gets a fresh claim token and
   * a lease (its next attempt moves `leaseMs` ahead), and the attempt is counted. Rows
   * locked by another replica are skipped, so two replicas never send the same delivery at
   * once; if this one dies mid-attempt, the lease runs out and another takes it over.
   * Targets in `busyTargets` are left alone (their concurrency is used up).
   * The due rows are read in `next_attempt_at` order from their index, the few excluded
   * subscriptions as a hashed list: joining subscription there let the planner, with a
   * statistic of a growing timestamp always behind, fetch every due row and sort it.
   */
  async claimDue(manager: EntityManager, limit: number, leaseMs: number, busyTargets: readonly string[]): Promise<ClaimedDelivery[]> {
    const result: unknown = await manager.query(
      `WITH due AS (
         SELECT d.id FROM delivery d
         WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= now()
           AND d.subscription_id NOT IN (SELECT s.id FROM subscription s WHERE s.deleted_at IS NOT NULL OR ${TARGET_KEY_SQL} = ANY($3::text[]))
         ORDER BY d.next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE delivery d SET claim_token = gen_random_uuid(), next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
         attempts = d.attempts + 1, budget_used = d.budget_used + 1, last_attempt_at = now(), updated_at = now()
       FROM due, notification_event e, subscription s
       WHERE d.id = due.id AND e.event_id = d.event_id AND s.id = d.subscription_id
       RETURNING d.id, d.claim_token, d.event_id, e.type, e.incident_id, e.tlp, e.jurisdiction, e.published_at, e.body, e.exercise, e.traceparent,
         d.subscription_id, s.channel, s.target, s.secret, s.previous_secret, s.previous_secret_expires_at, d.attempts, d.budget_used`,
      [limit, leaseMs, busyTargets],
    );
    return returned(result).map(toClaimedDelivery);
  }

  /** Gives back claimed deliveries not attempted (their target had no free slot): due again, attempt not counted. */
  async release(manager: EntityManager, deliveries: ReadonlyArray<Pick<ClaimedDelivery, 'id' | 'claimToken'>>): Promise<void> {
    if (deliveries.length === 0) return;
    await manager.query(
      `UPDATE delivery SET claim_token = NULL, next_attempt_at = now(), attempts = attempts - 1, budget_used = budget_used - 1
       FROM unnest($1::uuid[], $2::uuid[]) AS r (id, token)
       WHERE delivery.id = r.id AND delivery.claim_token = r.token`,
      [deliveries.map((d) => d.id), deliveries.map((d) => d.claimToken)],
    );
  }

  /**
   * Records attempts' outcomes in one statement, except those whose claim was lost meanwhile
   * (lease expired, manual retry, deletion). Returns the ids recorded.
   */
  async recordAttempts(manager: EntityManager, attempts: ReadonlyArray<{ delivery: Pick<ClaimedDelivery, 'id' | 'claimToken'>; outcome: AttemptRecord }>): Promise<Set<string>> {
    if (attempts.length === 0) return new Set();
    const column = <T>(pick: (outcome: AttemptRecord) => T | undefined) => attempts.map(({ outcome }) => pick(outcome) ?? null);
    const result: unknown = await manager.query(
      `UPDATE delivery d SET status = o.status, claim_token = NULL, updated_at = now(),
         next_attempt_at = COALESCE(now() + make_interval(secs => o.retry_in_ms / 1000.0), d.next_attempt_at), last_error = o.error, last_http_status = o.http_status,
         delivered_at = CASE WHEN o.status = 'delivered' THEN now() ELSE d.delivered_at END,
         latency_ms = COALESCE(o.latency_ms, d.latency_ms)
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::double precision[], $5::text[], $6::int[], $7::int[])
         AS o (id, token, status, retry_in_ms, error, http_status, latency_ms)
       WHERE d.id = o.id AND d.claim_token = o.token
       RETURNING d.id`,
      [
        attempts.map((a) => a.delivery.id),
        attempts.map((a) => a.delivery.claimToken),
        column((o) => o.status),
        column((o) => (o.status === 'failed' ? o.retryInMs : undefined)),
        column((o) => (o.status === 'delivered' ? undefined : o.error)),
        column((o) => o.httpStatus),
        column((o) => (o.status === 'delivered' ? Math.round(o.latencyMs) : undefined)),
      ],
    );
    return new Set(returned(result).map((row) => row['id'] as string));
  }

  async findById(manager: EntityManager, id: string): Promise<(DeliveryView & { ownerSub: string; target: string; subscriptionDeleted: boolean }) | undefined> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${VIEW_COLUMNS}, s.owner_sub, s.target, s.deleted_at FROM delivery d
       JOIN notification_event e ON e.event_id = d.event_id JOIN subscription s ON s.id = d.subscription_id
       WHERE d.id = $1`,
      [id],
    );
    const row = rows[0];
    return row && { ...toDeliveryView(row), ownerSub: row['owner_sub'] as string, target: row['target'] as string, subscriptionDeleted: row['deleted_at'] !== null };
  }

  /** Newest first. */
  async list(manager: EntityManager, query: DeliveryListQuery): Promise<DeliveryView[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.ownerSub !== undefined) where.push(`s.owner_sub = ${param(query.ownerSub)}`);
    if (query.subscriptionId !== undefined) where.push(`d.subscription_id = ${param(query.subscriptionId)}::uuid`);
    if (query.eventId !== undefined) where.push(`d.event_id = ${param(query.eventId)}::uuid`);
    if (query.status !== undefined) where.push(`d.status = ${param(query.status)}`);
    if (query.before) where.push(`(d.created_at, d.id) < (${param(query.before.at)}::timestamptz, ${param(query.before.id)}::uuid)`);
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${VIEW_COLUMNS} FROM delivery d
       JOIN notification_event e ON e.event_id = d.event_id JOIN subscription s ON s.id = d.subscription_id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY d.created_at DESC, d.id DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return rows.map(toDeliveryView);
  }

  /** A manual retry: due now, with a fresh budget; any attempt in flight loses its claim. */
  async resetForRetry(manager: EntityManager, id: string): Promise<void> {
    await manager.query(
      `UPDATE delivery SET status = 'pending', budget_used = 0, next_attempt_at = now(), claim_token = NULL, updated_at = now() WHERE id = $1`,
      [id],
    );
  }
}
