import { performance } from 'node:perf_hooks';
import { LatencyHistogram } from '../recorder';
import type { DatabaseProbe } from './db-probe';
import type { SignedWebhookReceiver } from './webhook-receiver';

/** Where an accepted incident is timed to, from the POST's (scheduled) send time. */
export const STAGES = {
  triaged: 'incident.triaged published (core NATS subscription of the bench)',
  webhookReported: 'signed incident.reported webhook received and verified by the bench',
  webhookTriaged: 'signed incident.triaged webhook received and verified by the bench',
  audit: "audit entry of incident.reported (its recorded_at: audit's clock, ms, just before its commit)",
} as const;
export type Stage = keyof typeof STAGES;
export const STAGE_NAMES = Object.keys(STAGES) as Stage[];

/** One stage over one phase. */
export interface StageResult {
  seen: number;
  missing: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * When each incident reached each stage, in `performance.now()` milliseconds. Audit's
 * `recorded_at` (wall clock) is turned into that clock with the offset at the time it is
 * read; both clocks are this machine's.
 */
export class Arrivals {
  readonly triaged = new Map<string, number>();
  readonly audit = new Map<string, number>();

  constructor(
    private readonly receiver: SignedWebhookReceiver,
    private readonly db: DatabaseProbe,
  ) {}

  onTriaged(incidentId: string, atMs: number): void {
    if (!this.triaged.has(incidentId)) this.triaged.set(incidentId, atMs);
  }

  /** Reads the audit entries appended since the last call (one query). */
  async pollAudit(): Promise<void> {
    const entries = await this.db.newReportedAuditEntries();
    const wallToPerf = performance.now() - Date.now();
    for (const { incidentId, recordedAtEpochMs } of entries) if (!this.audit.has(incidentId)) this.audit.set(incidentId, recordedAtEpochMs + wallToPerf);
  }

  at(stage: Stage, incidentId: string): number | undefined {
    switch (stage) {
      case 'triaged':
        return this.triaged.get(incidentId);
      case 'webhookReported':
        return this.receiver.firstArrival.reported.get(incidentId);
      case 'webhookTriaged':
        return this.receiver.firstArrival.triaged.get(incidentId);
      case 'audit':
        return this.audit.get(incidentId);
    }
  }

  /** Incidents of `sends` that have not reached every stage yet. */
  outstanding(sends: ReadonlyMap<string, number>): number {
    let count = 0;
    for (const id of sends.keys()) if (STAGE_NAMES.some((stage) => this.at(stage, id) === undefined)) count += 1;
    return count;
  }

  /** Latency from each send to each stage, and what never got there. */
  results(sends: ReadonlyMap<string, number>): Record<Stage, StageResult> {
    const results = {} as Record<Stage, StageResult>;
    for (const stage of STAGE_NAMES) {
      const histogram = new LatencyHistogram();
      let missing = 0;
      for (const [id, sentAt] of sends) {
        const at = this.at(stage, id);
        if (at === undefined) missing += 1;
        // An event can be seen before its 201 is (the relay is kicked at commit); never negative.
        else histogram.record(Math.max(0, at - sentAt));
      }
      results[stage] = { seen: histogram.count, missing, p50Ms: histogram.percentile(50), p99Ms: histogram.percentile(99), maxMs: histogram.maxMs };
    }
    return results;
  }
}
