import type { LoadOutcome, ResponseSink } from '../load';
import { LatencyHistogram, type MeasuredResponses } from '../recorder';

/** The HTTP side of a load phase, as printed. */
export interface HttpSummary {
  accepted: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Answers other than the success status, by status. */
  nonSuccess: Record<string, number>;
  /** The first body of each such status, to say why. */
  firstBodies: Record<string, string>;
  errors: number;
  timeouts: number;
  notSent: number;
}

/**
 * Counts a phase's responses and, for Watchfloor, remembers each accepted incident's send
 * time (`performance.now()`: completion minus latency, so the scheduled time in the open
 * loop) for the end-to-end latencies.
 */
export class HttpRecorder {
  readonly measured: MeasuredResponses = { accepted: 0, rejected: new Map(), rejectionSamples: new Map(), latency: new LatencyHistogram() };
  /** Incident id -> send time; only when tracking incidents. */
  readonly sends = new Map<string, number>();

  constructor(
    private readonly successStatus: number,
    private readonly trackIncidents: boolean,
  ) {}

  readonly sink: ResponseSink = (status, body, latencyMs, atMs) => {
    this.measured.latency.record(latencyMs);
    if (status === this.successStatus) {
      this.measured.accepted += 1;
      const id = this.trackIncidents ? incidentIdOf(body) : undefined;
      if (id !== undefined) this.sends.set(id, atMs - latencyMs);
      return;
    }
    this.measured.rejected.set(status, (this.measured.rejected.get(status) ?? 0) + 1);
    if (!this.measured.rejectionSamples.has(status)) this.measured.rejectionSamples.set(status, body.slice(0, 300));
  };

  summary(outcome: LoadOutcome): HttpSummary {
    const { measured } = this;
    return {
      accepted: measured.accepted,
      perSecond: measured.accepted / (outcome.elapsedMs / 1000),
      p50Ms: measured.latency.percentile(50),
      p99Ms: measured.latency.percentile(99),
      maxMs: measured.latency.maxMs,
      nonSuccess: Object.fromEntries([...measured.rejected].map(([status, count]) => [String(status), count])),
      firstBodies: Object.fromEntries([...measured.rejectionSamples].map(([status, body]) => [String(status), body])),
      errors: outcome.errors,
      timeouts: outcome.timeouts,
      notSent: outcome.notSent,
    };
  }
}

function incidentIdOf(body: string): string | undefined {
  try {
    const id: unknown = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
