import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { Batcher, type BatcherOptions, type Settled } from './batcher';

/** How a {@link GroupCommitter} does its work and groups it. */
export interface GroupCommitterOptions<TItem, TResult> extends BatcherOptions {
  dataSource: DataSource;
  /**
   * One item's writes, run inside the batch's transaction. It may run twice (after a
   * rolled-back optimistic attempt), so it must have no effect outside the transaction.
   */
  work(manager: EntityManager, item: TItem): Promise<TResult>;
  /**
   * The whole batch at once on the optimistic path, when it can share statements (one
   * multi-row INSERT instead of one per item); one result per item, in order. If it fails,
   * the batch is rolled back and run again item by item with `work`, each in its savepoint.
   * Same rule as `work`: no effect outside the transaction.
   */
  workAll?(manager: EntityManager, items: readonly TItem[]): Promise<TResult[]>;
  /** Called after each commit with the results of the items that committed (e.g. kick the outbox relay). */
  onCommitted?(results: TResult[]): void;
}

/**
 * Group commit: many callers' writes share one transaction and one commit (one WAL flush),
 * which is how a service gets past one-commit-per-request. The
 * batch runs first without savepoints; if an item fails (a unique violation, say) the batch
 * is rolled back and run again with a SAVEPOINT per item, so only the failing item's promise
 * rejects; the others commit together and resolve after the commit.
 */
export class GroupCommitter<TItem, TResult> {
  private readonly batcher: Batcher<TItem, TResult>;

  constructor(private readonly options: GroupCommitterOptions<TItem, TResult>) {
    this.batcher = new Batcher((items) => this.runBatch(items), options);
  }

  /** Queues `item`; resolves with its result once its batch has committed. */
  submit(item: TItem): Promise<TResult> {
    return this.batcher.submit(item);
  }

  /** Commits what is queued and waits for batches in progress (for shutdown). */
  drain(): Promise<void> {
    return this.batcher.drain();
  }

  /**
   * Optimistically runs the whole batch without savepoints (two round trips fewer per item);
   * only if an item fails is the batch rolled back and run again with a savepoint per item,
   * so the failure stays that item's alone.
   */
  private async runBatch(items: readonly TItem[]): Promise<Array<Settled<TResult>>> {
    if (items.length === 1) return this.inTransaction(async (queryRunner) => [await this.runAlone(queryRunner, items[0] as TItem)]);
    try {
      return await this.inTransaction((queryRunner) => this.runTogether(queryRunner, items));
    } catch (error) {
      if (!(error instanceof ItemFailed)) throw error;
      return this.inTransaction((queryRunner) => this.runInSavepoints(queryRunner, items));
    }
  }

  private async inTransaction(run: (queryRunner: QueryRunner) => Promise<Array<Settled<TResult>>>): Promise<Array<Settled<TResult>>> {
    const queryRunner = this.options.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      try {
        const outcomes = await run(queryRunner);
        await queryRunner.commitTransaction();
        this.notifyCommitted(outcomes);
        return outcomes;
      } catch (error) {
        // A connection that broke cannot roll back (TypeORM has released its runner): the
        // rollback's own error ("already released") would hide the cause the callers need.
        if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
        throw error;
      }
    } finally {
      await queryRunner.release();
    }
  }

  /** A batch of one needs no savepoint: its failure is the transaction's failure. */
  private async runAlone(queryRunner: QueryRunner, item: TItem): Promise<Settled<TResult>> {
    return { ok: true, value: await this.options.work(queryRunner.manager, item) };
  }

  private async runTogether(queryRunner: QueryRunner, items: readonly TItem[]): Promise<Array<Settled<TResult>>> {
    const { workAll } = this.options;
    if (workAll) {
      try {
        return (await workAll(queryRunner.manager, items)).map((value) => ({ ok: true, value }));
      } catch (error) {
        throw new ItemFailed(error);
      }
    }
    const outcomes: Array<Settled<TResult>> = [];
    for (const item of items) {
      try {
        outcomes.push({ ok: true, value: await this.options.work(queryRunner.manager, item) });
      } catch (error) {
        throw new ItemFailed(error);
      }
    }
    return outcomes;
  }

  private async runInSavepoints(queryRunner: QueryRunner, items: readonly TItem[]): Promise<Array<Settled<TResult>>> {
    const outcomes: Array<Settled<TResult>> = [];
    for (const item of items) {
      // A nested startTransaction is a SAVEPOINT; commit/rollback release or roll back to it.
      await queryRunner.startTransaction();
      try {
        const value = await this.options.work(queryRunner.manager, item);
        await queryRunner.commitTransaction();
        outcomes.push({ ok: true, value });
      } catch (error) {
        // If even the savepoint cannot be rolled back, the transaction is gone: the batch fails with this cause.
        await queryRunner.rollbackTransaction().catch(() => {
          throw error;
        });
        outcomes.push({ ok: false, error });
      }
    }
    return outcomes;
  }

  private notifyCommitted(outcomes: Array<Settled<TResult>>): void {
    if (!this.options.onCommitted) return;
    const results = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
    try {
      this.options.onCommitted(results);
    } catch {
      // A failing hook must not turn committed work into rejected promises.
    }
  }
}

/** An item of an optimistic batch failed: the batch is run again, item by item. */
class ItemFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('an item of the batch failed');
  }
}
