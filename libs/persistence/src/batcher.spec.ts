import { Batcher, type Settled } from './batcher';

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const echo = async (items: readonly number[]): Promise<Array<Settled<number>>> =>
  items.map((value) => ({ ok: true, value: value * 10 }));

describe('Batcher', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('starts a batch as soon as maxBatch items wait', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push([...items]);
      return echo(items);
    }, { maxBatch: 3, maxWaitMs: 60_000 });

    const results = await Promise.all([1, 2, 3].map((n) => batcher.submit(n)));

    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('starts a smaller batch once the first item has waited maxWaitMs', async () => {
    jest.useFakeTimers();
    const run = jest.fn(echo);
    const batcher = new Batcher<number, number>(run, { maxBatch: 10, maxWaitMs: 50 });

    const result = batcher.submit(7);
    await jest.advanceTimersByTimeAsync(49);
    expect(run).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);

    await expect(result).resolves.toBe(70);
    expect(run).toHaveBeenCalledWith([7]);
  });

  it('rejects only the items whose outcome failed', async () => {
    const batcher = new Batcher<number, number>(async (items) =>
      items.map((value) => (value === 2 ? { ok: false, error: new Error('duplicate') } : { ok: true, value })),
    { maxBatch: 3 });

    const settled = await Promise.allSettled([1, 2, 3].map((n) => batcher.submit(n)));

    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('rejects every item of a batch whose runner fails', async () => {
    const batcher = new Batcher<number, number>(async () => {
      throw new Error('commit failed');
    }, { maxBatch: 2 });

    const settled = await Promise.allSettled([1, 2].map((n) => batcher.submit(n)));

    expect(settled).toEqual([
      { status: 'rejected', reason: new Error('commit failed') },
      { status: 'rejected', reason: new Error('commit failed') },
    ]);
  });

  it('runs at most `concurrency` batches and lets the rest pile up into the next batch', async () => {
    const gates: Deferred[] = [];
    const batches: number[][] = [];
    let running = 0;
    let maxRunning = 0;
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push([...items]);
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      const gate = deferred();
      gates.push(gate);
      await gate.promise;
      running -= 1;
      return echo(items);
    }, { maxBatch: 2, maxWaitMs: 0, concurrency: 2 });

    const all = Promise.all([1, 2, 3, 4, 5, 6, 7].map((n) => batcher.submit(n)));
    expect(batcher.inFlight).toBe(2);
    expect(batcher.waiting).toBe(3);

    gates[0]?.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches.length).toBe(3);
    for (let i = 1; i < 4; i += 1) {
      gates[i]?.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    }

    await expect(all).resolves.toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(maxRunning).toBe(2);
    expect(batches).toEqual([[1, 2], [3, 4], [5, 6], [7]]);
  });

  it('drain runs what is queued and waits for it', async () => {
    const run = jest.fn(echo);
    const batcher = new Batcher<number, number>(run, { maxBatch: 10, maxWaitMs: 60_000 });
    const result = batcher.submit(1);

    await batcher.drain();

    await expect(result).resolves.toBe(10);
    expect(batcher.inFlight).toBe(0);
  });
});
