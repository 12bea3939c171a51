import { performance } from 'node:perf_hooks';
import type { DataSource } from 'typeorm';

/** Where a service reads the time for what it records and decides (a Nest token too). */
export abstract class Clock {
  abstract now(): Date;
}

/** How often {@link DatabaseClock} reads Postgres's time again by default. */
const SYNC_EVERY_MS = 30_000;

/** A reading whose round trip took longer is not trusted over a tighter one (a busy moment)... */
const TRUSTED_ROUND_TRIP_MS = 100;
/** ...unless the tighter one is this old (the monotonic clock drifts: tens of milliseconds an hour). */
const STALE_AFTER_MS = 10 * 60_000;

/** One reading of Postgres's time, the monotonic instant it stands for, and how long the round trip took (twice its error at most). */
interface Reading {
  databaseMs: number;
  monotonicMs: number;
  roundTripMs: number;
}

/**
 * Postgres's clock, read without a round trip each time. It reads `clock_timestamp()` at
 * start and every `syncEveryMs`, and carries it forward between readings with the process's
 * monotonic clock, never its wall clock: a process whose wall clock is skewed, or stepped
 * while it runs, still tells Postgres's time, to within half a round trip and the monotonic
 * clock's drift since the last reading (microseconds a second). Every replica of a service
 * then agrees with the others and with the record. A reading that fails (Postgres
 * restarting) keeps the last one.
 */
export class DatabaseClock extends Clock {
  private timer?: NodeJS.Timeout;

  private constructor(
    private readonly dataSource: DataSource,
    private reading: Reading,
  ) {
    super();
  }

  /** Reads Postgres's time once, then again every `syncEveryMs` until {@link stop}. */
  static async start(dataSource: DataSource, options: { syncEveryMs?: number } = {}): Promise<DatabaseClock> {
    const clock = new DatabaseClock(dataSource, await read(dataSource));
    clock.timer = setInterval(() => void clock.sync().catch(() => undefined), options.syncEveryMs ?? SYNC_EVERY_MS);
    clock.timer.unref();
    return clock;
  }

  now(): Date {
    return new Date(Math.round(this.reading.databaseMs + performance.now() - this.reading.monotonicMs));
  }

  /** Reads Postgres's time again; a slow round trip does not replace a tighter reading that is still recent. */
  async sync(): Promise<void> {
    const reading = await read(this.dataSource);
    const tighter = reading.roundTripMs <= Math.max(TRUSTED_ROUND_TRIP_MS, this.reading.roundTripMs);
    if (tighter || reading.monotonicMs - this.reading.monotonicMs > STALE_AFTER_MS) this.reading = reading;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Postgres's time, as of the middle of the round trip that read it (the wait for a pooled connection left out). */
async function read(dataSource: DataSource): Promise<Reading> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.connect();
    const sent = performance.now();
    const rows: Array<{ ms: number | string }> = await runner.query(`SELECT extract(epoch FROM clock_timestamp()) * 1000 AS ms`);
    const received = performance.now();
    return { databaseMs: Number(rows[0]?.ms), monotonicMs: (sent + received) / 2, roundTripMs: received - sent };
  } finally {
    await runner.release();
  }
}
