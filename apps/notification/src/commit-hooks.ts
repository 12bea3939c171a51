import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';

/**
 * Runs callbacks after the transaction of a given manager commits (never after a rollback).
 * Event handlers run inside the transport's transaction and cannot know when it commits;
 * this lets them wake the sender only once their deliveries are visible.
 */
export class CommitHooks {
  private readonly pending = new WeakMap<QueryRunner, Array<() => void>>();

  /** Hooks registered on `dataSource` (one TypeORM subscriber). */
  static on(dataSource: DataSource): CommitHooks {
    const hooks = new CommitHooks();
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: ({ queryRunner }) => hooks.run(queryRunner, true),
      afterTransactionRollback: ({ queryRunner }) => hooks.run(queryRunner, false),
    };
    dataSource.subscribers.push(subscriber);
    return hooks;
  }

  /** Calls `callback` once `manager`'s transaction has committed. */
  afterCommit(manager: EntityManager, callback: () => void): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      callback();
      return;
    }
    const callbacks = this.pending.get(runner) ?? [];
    callbacks.push(callback);
    this.pending.set(runner, callbacks);
  }

  private run(runner: QueryRunner, committed: boolean): void {
    // A savepoint's release or rollback (the transport's batches use them) is not the end
    // of the transaction: a wake-up is harmless, losing one is not, so keep them all.
    if (runner.isTransactionActive) return;
    const callbacks = this.pending.get(runner);
    this.pending.delete(runner);
    if (committed) callbacks?.forEach((callback) => callback());
  }
}
