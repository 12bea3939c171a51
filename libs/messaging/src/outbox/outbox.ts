import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { CloudEvent, EventType } from '@watchfloor/contracts';
import { quoteIdent } from '@watchfloor/persistence';
import { assertValidEvent } from '../events';
import { eventHeaders } from '../headers';
import type { TypedEvent } from '../publisher';
import type { Topology } from '../topology/topology';

/**
 * Writes events into the service's outbox table, inside the caller's transaction, so an
 * event exists if and only if the state change that caused it committed. The relay
 * publishes them afterwards.
 */
export class Outbox {
  private readonly table: string;
  private readonly wroteEvents = new WeakSet<QueryRunner>();

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
      afterTransactionCommit: ({ queryRunner }) => {
        // Releasing a savepoint is a "commit" too; only the outermost one makes rows visible.
        if (!queryRunner.isTransactionActive && this.wroteEvents.delete(queryRunner)) afterCommit();
      },
      afterTransactionRollback: ({ queryRunner }) => {
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

  /** Adds several events in one statement, in order. */
  async addAll(manager: EntityManager, events: ReadonlyArray<TypedEvent>): Promise<void> {
    if (events.length === 0) return;
    const values: string[] = [];
    const params: unknown[] = [];
    for (const event of events) {
      assertValidEvent(event as CloudEvent<EventType, unknown>);
      const base = params.length;
      values.push(`($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::json, $${base + 5}::jsonb)`);
      params.push(event.id, event.type, this.topology.eventSubject(event), JSON.stringify(event), JSON.stringify(eventHeaders(event)));
    }
    await manager.query(`INSERT INTO ${this.table} (event_id, type, subject, payload, headers) VALUES ${values.join(', ')}`, params);
    if (manager.queryRunner) this.wroteEvents.add(manager.queryRunner);
  }
}
