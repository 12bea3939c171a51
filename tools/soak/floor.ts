import type { Random } from '@watchfloor/testing';

/**
 * When the floor tries again to acknowledge an incident it could not (not triaged yet, or
 * triage out): after 2, 4, 8, 16 and 32 s, then it gives up (the catch-up after the load
 * acknowledges what is left). Backing off keeps a lagging triage from being asked again
 * every second for every incident it has not reached.
 */
const RETRY_AFTER_MS = [2_000, 4_000, 8_000, 16_000, 32_000];

/** Posts to triage as the floor's officer; the answer's status (a number, or the network error's code). */
export type PostAsOfficer = (path: string) => Promise<number | string>;

/**
 * The officers on call working the queue: every incident accepted is acknowledged after a
 * delay drawn from an exponential distribution of mean `meanS`, so most are acknowledged
 * within their deadline and a share miss one deadline or several, as on a floor stretched
 * thin. Without it (the first ten-minute soaks) about one incident in twenty was ever
 * acknowledged: with deadlines of 15–60 s each of the others escalated again every period,
 * so the escalations asked of triage grew with every minute of the run, without bound.
 */
export class Floor {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly working = new Set<Promise<void>>();
  private stopped = false;
  /** Acknowledgements by their last answer (`200`, `409` when an officer's action came first, ...). */
  readonly outcomes = new Map<string, number>();

  constructor(
    private readonly random: Random,
    private readonly meanS: number,
    private readonly post: PostAsOfficer,
  ) {}

  /** An incident was accepted: it will be acknowledged in a while. */
  take(incidentId: string): void {
    if (this.stopped || this.meanS <= 0) return;
    const delayMs = -Math.log(1 - this.random.next()) * this.meanS * 1000;
    this.later(delayMs, () => this.acknowledge(incidentId, 0));
  }

  /** The load is over: nothing more is scheduled; acknowledgements in flight finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.working]);
  }

  private later(delayMs: number, work: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const task: Promise<void> = work().finally(() => this.working.delete(task));
      this.working.add(task);
    }, delayMs);
    this.timers.add(timer);
  }

  private async acknowledge(incidentId: string, retries: number): Promise<void> {
    const status = await this.post(`/v1/incidents/${incidentId}/acknowledge`);
    // Not triaged yet (404), or triage or its database out: try again while it is worth it.
    const again = status === 404 || typeof status !== 'number' || status >= 500;
    const wait = RETRY_AFTER_MS[retries];
    if (again && !this.stopped && wait !== undefined) return this.later(wait, () => this.acknowledge(incidentId, retries + 1));
    this.outcomes.set(String(status), (this.outcomes.get(String(status)) ?? 0) + 1);
  }
}
