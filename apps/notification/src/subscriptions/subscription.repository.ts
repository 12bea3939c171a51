import type { EntityManager } from 'typeorm';
import { toSubscriptionRecord, type SubscriptionRecord } from './subscription.record';

const COLUMNS = `id, name, channel, target, events, min_priority, jurisdictions, categories, owner_sub, owner_org,
  clearance, secret, previous_secret, previous_secret_expires_at, version, created_at, updated_at, exercise`;

/** Position in a newest-first list. */
export interface ListPosition {
  createdAt: string;
  id: string;
}

/** SQL of the `subscription` table; every method runs on the caller's transaction. Deleted rows are invisible. */
export class SubscriptionRepository {
  async insert(manager: EntityManager, s: SubscriptionRecord): Promise<void> {
    await manager.query(
      `INSERT INTO subscription (id, name, channel, target, events, min_priority, jurisdictions, categories, owner_sub, owner_org,
         clearance, secret, version, created_at, updated_at, exercise)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        s.id, s.name, s.channel, s.target, s.events, s.filter.minPriority ?? null, s.filter.jurisdictions ?? [], s.filter.categories ?? [],
        s.owner.sub, s.owner.org ?? null, s.clearance, s.sealedSecret ?? null, s.version, s.createdAt, s.updatedAt, s.exercise ?? null,
      ],
    );
  }

  async findById(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<SubscriptionRecord | undefined> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${COLUMNS} FROM subscription WHERE id = $1 AND deleted_at IS NULL${options.lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] && toSubscriptionRecord(rows[0]);
  }

  /** Newest first; only `ownerSub`'s when given. */
  async list(manager: EntityManager, query: { ownerSub?: string; before?: ListPosition; limit: number }): Promise<SubscriptionRecord[]> {
    const where = ['deleted_at IS NULL'];
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    if (query.ownerSub !== undefined) where.push(`owner_sub = ${param(query.ownerSub)}`);
    if (query.before) where.push(`(created_at, id) < (${param(query.before.createdAt)}::timestamptz, ${param(query.before.id)}::uuid)`);
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${COLUMNS} FROM subscription WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT ${param(query.limit)}`,
      params,
    );
    return rows.map(toSubscriptionRecord);
  }

  /** Live subscriptions asking for `eventType`. */
  async forEventType(manager: EntityManager, eventType: string): Promise<SubscriptionRecord[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `SELECT ${COLUMNS} FROM subscription WHERE deleted_at IS NULL AND events @> ARRAY[$1]::text[]`,
      [eventType],
    );
    return rows.map(toSubscriptionRecord);
  }

  /** Stores every mutable field of `s` as its next version. */
  async save(manager: EntityManager, s: SubscriptionRecord): Promise<void> {
    await manager.query(
      `UPDATE subscription SET name = $2, target = $3, events = $4, min_priority = $5, jurisdictions = $6, categories = $7,
         secret = $8, previous_secret = $9, previous_secret_expires_at = $10, version = $11, updated_at = $12
       WHERE id = $1`,
      [
        s.id, s.name, s.target, s.events, s.filter.minPriority ?? null, s.filter.jurisdictions ?? [], s.filter.categories ?? [],
        s.sealedSecret ?? null, s.sealedPreviousSecret ?? null, s.previousSecretExpiresAt ?? null, s.version, s.updatedAt,
      ],
    );
  }

  /** Marks it deleted (the ledger keeps referring to it) and ends its deliveries still waiting. */
  async delete(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(`UPDATE subscription SET deleted_at = $2, secret = NULL, previous_secret = NULL, updated_at = $2 WHERE id = $1`, [id, at]);
    await manager.query(
      `UPDATE delivery SET status = 'dead', last_error = 'subscription deleted', claim_token = NULL, updated_at = $2
       WHERE subscription_id = $1 AND status IN ('pending', 'failed')`,
      [id, at],
    );
  }
}
