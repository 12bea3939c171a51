import * as hdr from 'hdr-histogram-js';

/** Milliseconds with microsecond resolution, in an HDR histogram (exact percentiles, no sampling). */
export class LatencyHistogram {
  private readonly histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });

  record(ms: number): void {
    this.histogram.recordValue(Math.max(0, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  /** The value at percentile `p` (0-100), in milliseconds. */
  percentile(p: number): number {
    return this.histogram.getValueAtPercentile(p) / 1000;
  }

  get maxMs(): number {
    return this.histogram.maxValue / 1000;
  }
}

/** Which part of a run a response belongs to: only `measure` is reported. */
export type Phase = 'warmup' | 'measure';

/** What the measured window produced, as {@link RunRecorder} counted it. */
export interface MeasuredResponses {
  accepted: number;
  /** Responses other than 201, by status. */
  rejected: Map<number, number>;
  /** The first body of each rejected status, to say why. */
  rejectionSamples: Map<number, string>;
  latency: LatencyHistogram;
}

/**
 * Counts responses of the measured window and pairs each 201 with its `incident.reported`
 * event. Warm-up 201s are remembered only so their events are not mistaken for lost ones.
 */
export class RunRecorder {
  phase: Phase = 'warmup';
  readonly measured: MeasuredResponses = { accepted: 0, rejected: new Map(), rejectionSamples: new Map(), latency: new LatencyHistogram() };
  readonly lag = new OutboxLag();

  /** One HTTP response: `atMs` is `performance.now()` when it was complete. */
  onResponse(status: number, body: string, latencyMs: number, atMs: number): void {
    const measuring = this.phase === 'measure';
    if (status === 201) {
      const id = incidentIdOf(body);
      if (id !== undefined) this.lag.onAccepted(id, atMs, measuring);
    }
    if (!measuring) return;
    this.measured.latency.record(latencyMs);
    if (status === 201) {
      this.measured.accepted += 1;
      return;
    }
    this.measured.rejected.set(status, (this.measured.rejected.get(status) ?? 0) + 1);
    if (!this.measured.rejectionSamples.has(status)) this.measured.rejectionSamples.set(status, body.slice(0, 300));
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

/**
 * Outbox lag: from the 201 reaching the benchmark to the event reaching the benchmark's
 * JetStream consumer. The relay is kicked at commit, before the 201 is even written, so an
 * event can arrive first; that lag is recorded as 0 and counted.
 */
export class OutboxLag {
  readonly histogram = new LatencyHistogram();
  eventsBefore201 = 0;
  private readonly awaiting = new Map<string, number>();
  private readonly early = new Map<string, number>();
  private readonly ignored = new Set<string>();

  onAccepted(incidentId: string, atMs: number, measured: boolean): void {
    const seenAt = this.early.get(incidentId);
    if (seenAt !== undefined) {
      this.early.delete(incidentId);
      if (measured) {
        this.histogram.record(Math.max(0, seenAt - atMs));
        this.eventsBefore201 += 1;
      }
      return;
    }
    if (measured) this.awaiting.set(incidentId, atMs);
    else this.ignored.add(incidentId);
  }

  onEvent(incidentId: string, atMs: number): void {
    const acceptedAt = this.awaiting.get(incidentId);
    if (acceptedAt !== undefined) {
      this.awaiting.delete(incidentId);
      this.histogram.record(atMs - acceptedAt);
    } else if (!this.ignored.delete(incidentId)) {
      this.early.set(incidentId, atMs);
    }
  }

  /** Measured 201s whose event has not been seen (yet). */
  get missing(): number {
    return this.awaiting.size;
  }

  /**
   * Events no 201 was seen for: requests still in flight when the load stopped (committed,
   * but their responses were dropped with the connection).
   */
  get unmatchedEvents(): number {
    return this.early.size;
  }
}
