import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { CloudEvent, EventType } from '@watchfloor/contracts';
import { quoteIdent } from '@watchfloor/persistence';
import { activeTraceparent } from '@watchfloor/platform';
import { assertValidEvent } from '../events';
import { eventHeaders } from '../headers';
import type { TypedEvent } from '../publisher';
import type { Topology } from '../topology/topology';

/**
 * Writes events into the service's outbox table, inside the caller's transaction, so an
 * event exists if and only if the state change that caused it committed. The relay
 * publishes them afterwards.
 *
 * On a data source it is attached to ({@link kickAfterCommit}), events added in a
 * transaction are kept until just before it commits and written then in one statement: a
 * consumer's batch of messages, each adding two or three events, costs one INSERT, not one
 * per event. Events added in a savepoint that is rolled back are dropped with it.
 */
export class Outbox {
  private readonly table: string;
  private readonly wroteEvents = new WeakSet<QueryRunner>();
  /** Per transaction, the events not written yet: one list per open level (transaction, then savepoints). */
  private readonly pending = new WeakMap<QueryRunner, OutboxRow[][]>();

  constructor(
    schema: string,
    private readonly topology: Topology,
  ) {
    this.table = `${quoteIdent(schema)}.outbox`;
  }

  /**
   * Calls `afterCommit` (the relay's kick) right after each transaction of `dataSource` that
   * added events has committed, wherever that transaction was opened: a request's, a group
   * commit's or an event handler's in the transport. Transactions that added none (the
   * relay's own among them) do not call it, so the relay never wakes itself.
   */
  kickAfterCommit(dataSource: DataSource, afterCommit: () => void): void {
    dataSource.subscribers.push({
      afterTransactionStart: ({ queryRunner }) => {
        const levels = this.pending.get(queryRunner) ?? [];
        this.pending.set(queryRunner, [...levels, []]);
      },
      beforeTransactionCommit: async ({ queryRunner }) => {
        const levels = this.pending.get(queryRunner) ?? [];
        const closing = levels.pop() ?? [];
        const outer = levels.at(-1);
        // A savepoint's events join its transaction's; the outermost commit writes them all.
        if (outer) outer.push(...closing);
        else await this.insert(queryRunner.manager, closing);
      },
      afterTransactionCommit: ({ queryRunner }) => {
        // Releasing a savepoint is a "commit" too; only the outermost one makes rows visible.
        if (!queryRunner.isTransactionActive && this.wroteEvents.delete(queryRunner)) afterCommit();
      },
      afterTransactionRollback: ({ queryRunner }) => {
        this.pending.get(queryRunner)?.pop();
        if (!queryRunner.isTransactionActive) this.wroteEvents.delete(queryRunner);
      },
    });
  }

  /**
   * Adds one event. Checks it against the contract first: an invalid event is a bug in
   * the caller, so this throws `InvalidEventError` (and the caller's transaction rolls back).
   */
  async add<T extends EventType>(manager: EntityManager, event: TypedEvent<T>): Promise<void> {
    await this.addAll(manager, [event]);
  }

  /** Adds several events, in order (written in one statement, now or at the commit). */
  async addAll(manager: EntityManager, events: ReadonlyArray<TypedEvent>): Promise<void> {
    if (events.length === 0) return;
    const rows = events.map((event) => this.rowOf(event));
    const open = manager.queryRunner?.isTransactionActive ? this.pending.get(manager.queryRunner)?.at(-1) : undefined;
    if (open) open.push(...rows);
    else await this.insert(manager, rows);
  }

  /**
   * The event checked and serialised as it is now (a later change to the object changes
   * nothing). An event added inside a span (a request's, a consumer's) without a
   * `traceparent` of its own gets that span's, so its consumers continue the same trace.
   */
  private rowOf(given: TypedEvent): OutboxRow {
    const traceparent = given.traceparent === undefined ? activeTraceparent() : undefined;
    const event = traceparent === undefined ? given : { ...given, traceparent };
    assertValidEvent(event as CloudEvent<EventType, unknown>);
    return [event.id, event.type, this.topology.eventSubject(event), JSON.stringify(event), JSON.stringify(eventHeaders(event))];
  }

  private async insert(manager: EntityManager, rows: readonly OutboxRow[]): Promise<void> {
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + ROWS_PER_INSERT);
      const values = chunk.map((_, i) => `($${i * 5 + 1}, $${i * 5 + 2}, $${i * 5 + 3}, $${i * 5 + 4}::json, $${i * 5 + 5}::jsonb)`);
      await manager.query(`INSERT INTO ${this.table} (event_id, type, subject, payload, headers) VALUES ${values.join(', ')}`, chunk.flat());
    }
    if (rows.length > 0 && manager.queryRunner) this.wroteEvents.add(manager.queryRunner);
  }
}

/** event_id, type, subject, payload, headers. */
type OutboxRow = [string, string, string, string, string];

/** Well under Postgres's 65,535 parameters per statement. */
const ROWS_PER_INSERT = 1_000;
