import type { DataSource, EntityManager } from 'typeorm';

/** Isolation levels Postgres offers. */
export type IsolationLevel = 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';

/**
 * Runs `work` in one transaction and returns its result: committed when it resolves,
 * rolled back when it throws. Everything that must be atomic (a state change and its
 * outbox row, a handler's effects and its inbox row) goes through the `manager` given.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolationLevel?: IsolationLevel,
): Promise<T> {
  return isolationLevel ? dataSource.transaction(isolationLevel, work) : dataSource.transaction(work);
}
