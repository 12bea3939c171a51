import type { EntityManager } from 'typeorm';
import { quoteIdent } from '@watchfloor/persistence';

/**
 * The service's inbox: which events each consumer has handled. Claimed in the handler's
 * transaction, so the handler's effects and the record that it ran commit together.
 */
export class Inbox {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `${quoteIdent(schema)}.inbox`;
  }

  /**
   * Records that `consumer` handles `eventId`; false when it already has (a repeat, to be
   * acked and dropped). A concurrent claim of the same id waits for the first
   * transaction and then returns false, so at most one of them has an effect.
   */
  async claim(manager: EntityManager, consumer: string, eventId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO ${this.table} (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
      [consumer, eventId],
    );
    return rows.length === 1;
  }

  /**
   * {@link claim} for several events in one statement: the ids newly claimed (each once,
   * however often it is listed). Claimed in id order, so two transactions claiming
   * overlapping ids wait on each other in the same order and cannot deadlock.
   */
  async claimAll(manager: EntityManager, consumer: string, eventIds: readonly string[]): Promise<Set<string>> {
    const rows = await manager.query<Array<{ event_id: string }>>(
      `INSERT INTO ${this.table} (consumer, event_id) SELECT $1, id FROM unnest($2::uuid[]) AS id ORDER BY id ON CONFLICT DO NOTHING RETURNING event_id`,
      [consumer, [...new Set(eventIds)]],
    );
    return new Set(rows.map((row) => row.event_id));
  }

  /** Whether `consumer` has handled `eventId`. */
  async has(manager: EntityManager, consumer: string, eventId: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM ${this.table} WHERE consumer = $1 AND event_id = $2`, [consumer, eventId]);
    return rows.length === 1;
  }
}
