import { performance } from 'node:perf_hooks';
import type { DatabaseProbe } from './db-probe';
import type { NatsProbe } from './nats-probe';

/** Work the system has taken in but not finished, at one moment. */
export interface BacklogSample {
  atMs: number;
  /** Per durable consumer (`<stream>/<durable>`): not delivered + delivered and not acknowledged. */
  consumers: Record<string, number>;
  /** Per table: unpublished outbox rows, deliveries still owed. */
  tables: Record<string, number>;
  total: number;
}

/** The backlog over one phase; `flat` says it did not grow. */
export interface BacklogSummary {
  samples: number;
  start: number;
  end: number;
  max: number;
  /** Least-squares slope over the last two thirds of the phase, messages (rows) per second. */
  slopePerS: number;
  /** What the slope adds up to over those two thirds. */
  growth: number;
  /** Growth allowed: one second's worth of the phase's arrivals. */
  allowedGrowth: number;
  flat: boolean;
  /** The consumer or table that held most at the peak. */
  largestAtMax?: string;
}

const INTERVAL_MS = 1000;

/** Samples the backlog once a second, in the background, for the whole run. */
export class BacklogSampler {
  readonly samples: BacklogSample[] = [];
  private running: Promise<void> | undefined;
  private stopping = false;
  failures = 0;

  constructor(
    private readonly nats: NatsProbe,
    private readonly db: DatabaseProbe,
  ) {}

  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** The newest sample, or one taken now when there is none yet. */
  async current(): Promise<BacklogSample> {
    return this.samples[this.samples.length - 1] ?? (await this.sample());
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      const started = performance.now();
      try {
        this.samples.push(await this.sample());
      } catch {
        this.failures += 1; // a probe hiccup loses one sample, not the run
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, INTERVAL_MS - (performance.now() - started))));
    }
  }

  private async sample(): Promise<BacklogSample> {
    const atMs = performance.now();
    const [snapshot, rows] = await Promise.all([this.nats.snapshot(), this.db.backlogRows()]);
    const consumers = Object.fromEntries([...snapshot.consumers].map(([name, counts]) => [name, counts.pending + counts.ackPending]));
    const tables = Object.fromEntries(rows);
    const total = [...Object.values(consumers), ...Object.values(tables)].reduce((sum, n) => sum + n, 0);
    return { atMs, consumers, tables, total };
  }

  /** The samples taken in [fromMs, toMs], judged against `ratePerS` arrivals a second. */
  summarise(fromMs: number, toMs: number, ratePerS: number): BacklogSummary {
    const window = this.samples.filter((sample) => sample.atMs >= fromMs && sample.atMs <= toMs);
    const totals = window.map((sample) => sample.total);
    const peak = window.reduce<BacklogSample | undefined>((best, sample) => (best === undefined || sample.total > best.total ? sample : best), undefined);
    // The first third is the ramp from empty to the steady in-flight amount: not judged.
    const fitFrom = fromMs + (toMs - fromMs) / 3;
    const fitted = window.filter((sample) => sample.atMs >= fitFrom);
    const slopePerS = slope(fitted.map((sample) => [(sample.atMs - fromMs) / 1000, sample.total]));
    const growth = slopePerS * ((toMs - fitFrom) / 1000);
    const allowedGrowth = Math.max(ratePerS, 1);
    return {
      samples: window.length,
      start: totals[0] ?? 0,
      end: totals[totals.length - 1] ?? 0,
      max: Math.max(0, ...totals),
      slopePerS,
      growth,
      allowedGrowth,
      flat: fitted.length >= 3 && growth <= allowedGrowth,
      largestAtMax: peak ? largestPart(peak) : undefined,
    };
  }
}

/** Least-squares slope of y over x; 0 with fewer than two points. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const [x, y] of points) {
    covariance += (x - meanX) * (y - meanY);
    variance += (x - meanX) ** 2;
  }
  return variance === 0 ? 0 : covariance / variance;
}

function largestPart(sample: BacklogSample): string | undefined {
  const parts = [...Object.entries(sample.consumers), ...Object.entries(sample.tables)].sort((a, b) => b[1] - a[1]);
  const [name, count] = parts[0] ?? [];
  return name !== undefined && (count ?? 0) > 0 ? `${name} ${count}` : undefined;
}
