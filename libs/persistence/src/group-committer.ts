import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { Batcher, type BatcherOptions, type Settled } from './batcher';

/** How a {@link GroupCommitter} does its work and groups it. */
export interface GroupCommitterOptions<TItem, TResult> extends BatcherOptions {
  dataSource: DataSource;
  /** One item's writes, run inside the batch's transaction (in its own savepoint). */
  work(manager: EntityManager, item: TItem): Promise<TResult>;
  /** Called after each commit with the results of the items that committed (e.g. kick the outbox relay). */
  onCommitted?(results: TResult[]): void;
}

/**
 * Group commit: many callers' writes share one transaction and one commit (one WAL flush),
 * which is how a service gets past one-commit-per-request. Each item runs in its own
 * SAVEPOINT, so an item that fails (a unique violation, say) is rolled back alone and only
 * its promise rejects; the others commit together and resolve after the commit.
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

  private async runBatch(items: readonly TItem[]): Promise<Array<Settled<TResult>>> {
    const queryRunner = this.options.dataSource.createQueryRunner();
    await queryRunner.connect();
    try {
      await queryRunner.startTransaction();
      try {
        const outcomes = items.length === 1
          ? [await this.runAlone(queryRunner, items[0] as TItem)]
          : await this.runInSavepoints(queryRunner, items);
        await queryRunner.commitTransaction();
        this.notifyCommitted(outcomes);
        return outcomes;
      } catch (error) {
        if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction();
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
        await queryRunner.rollbackTransaction();
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
