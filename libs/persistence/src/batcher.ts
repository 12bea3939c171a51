/** The outcome of one item of a batch. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Runs one batch; returns one outcome per item, in order. Rejecting fails every item. */
export type BatchRunner<TItem, TResult> = (items: readonly TItem[]) => Promise<Array<Settled<TResult>>>;

/** How a {@link Batcher} groups items. */
export interface BatcherOptions {
  /** Largest batch (default 64). */
  maxBatch?: number;
  /** Longest an item waits for companions while a slot is free (default 2 ms). */
  maxWaitMs?: number;
  /** Batches running at once (default 4). */
  concurrency?: number;
}

interface Pending<TItem, TResult> {
  item: TItem;
  resolve(value: TResult): void;
  reject(error: unknown): void;
}

/**
 * Groups submitted items into batches run by `run`: a batch starts when `maxBatch` items
 * wait or the first has waited `maxWaitMs`, and at most `concurrency` batches run at once.
 * While all slots are busy items pile up, so under load batches grow by themselves; when a
 * batch ends, whatever has piled up starts at once (it has waited long enough).
 */
export class Batcher<TItem, TResult> {
  private readonly maxBatch: number;
  private readonly maxWaitMs: number;
  private readonly concurrency: number;
  private queue: Array<Pending<TItem, TResult>> = [];
  private running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly run: BatchRunner<TItem, TResult>,
    options: BatcherOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 64);
    this.maxWaitMs = Math.max(0, options.maxWaitMs ?? 2);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
  }

  /** Items waiting for a batch. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Batches in progress. */
  get inFlight(): number {
    return this.running.size;
  }

  /** Queues `item`; settles with its own outcome once its batch has run. */
  submit(item: TItem): Promise<TResult> {
    return new Promise<TResult>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.armTimer();
    });
  }

  /** Runs everything queued and waits until no batch is running. */
  async drain(): Promise<void> {
    this.clearTimer();
    while (this.queue.length > 0 || this.running.size > 0) {
      this.flush();
      await Promise.race(this.running);
    }
  }

  private armTimer(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.maxWaitMs);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(): void {
    while (this.queue.length > 0 && this.running.size < this.concurrency) {
      const batch = this.queue.splice(0, this.maxBatch);
      const done: Promise<void> = this.execute(batch).finally(() => {
        this.running.delete(done);
        // Items that piled up while every slot was busy have waited long enough.
        if (this.queue.length > 0) this.flush();
      });
      this.running.add(done);
    }
    if (this.queue.length === 0) this.clearTimer();
  }

  private async execute(batch: Array<Pending<TItem, TResult>>): Promise<void> {
    try {
      const outcomes = await this.run(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => {
        const outcome = outcomes[index];
        if (!outcome) pending.reject(new Error('batch runner returned no outcome for this item'));
        else if (outcome.ok) pending.resolve(outcome.value);
        else pending.reject(outcome.error);
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
