import { counter, ServiceOverloadedError } from '@watchfloor/platform';

/** When {@link SubmissionQueue} refuses new submissions. */
export interface SubmissionQueueLimits {
  /** Submissions waiting at most; one more is refused. */
  maxWaiting: number;
  /** Once the oldest waiting submission has waited longer than this, new ones are refused. */
  maxWaitMs: number;
  /** What the refusal tells the client to wait before retrying. */
  retryAfterSeconds: number;
}

/** Why a submission was refused. */
export type ShedReason = 'queue_full' | 'queue_wait';

const shedTotal = counter<'reason'>({
  name: 'watchfloor_intake_submissions_shed_total',
  help: 'Submissions answered 503 SERVICE.OVERLOADED before anything was written, by reason (queue_full, queue_wait).',
  labelNames: ['reason'],
});

/**
 * Admission to intake's write path. It knows the submissions admitted whose writes have not
 * begun (waiting for their group commit, or for a connection), and refuses a new one with
 * 503 `SERVICE.OVERLOADED` when too many wait or the oldest has waited too long. A refused
 * submission has touched nothing; an admitted one is never refused later, so it completes
 * normally. In-process and synchronous: a check and its admission cannot interleave.
 */
export class SubmissionQueue {
  // Insertion order is admission order, so the first entry is the oldest still waiting.
  private readonly waitingSince = new Map<object, number>();

  constructor(
    private readonly limits: SubmissionQueueLimits,
    private readonly now: () => number = Date.now,
  ) {}

  /** Submissions admitted whose writes have not begun. */
  get waiting(): number {
    return this.waitingSince.size;
  }

  /** How long the oldest waiting submission has waited, in ms (0 when none waits). */
  oldestWaitMs(): number {
    const oldest = this.waitingSince.values().next();
    return oldest.done ? 0 : this.now() - oldest.value;
  }

  /** Admits `submission` (any object, the key of {@link started}) or throws {@link ServiceOverloadedError}. */
  admit(submission: object): void {
    const reason = this.refusal();
    if (reason) {
      shedTotal.inc({ reason });
      throw new ServiceOverloadedError(this.limits.retryAfterSeconds, `${DETAIL[reason]} Nothing was stored; retry in ${this.limits.retryAfterSeconds} s.`);
    }
    this.waitingSince.set(submission, this.now());
  }

  /** The submission's writes have begun, or it has settled: it no longer waits. Idempotent. */
  started(submission: object): void {
    this.waitingSince.delete(submission);
  }

  private refusal(): ShedReason | undefined {
    if (this.waitingSince.size >= this.limits.maxWaiting) return 'queue_full';
    if (this.oldestWaitMs() > this.limits.maxWaitMs) return 'queue_wait';
    return undefined;
  }
}

const DETAIL: Readonly<Record<ShedReason, string>> = {
  queue_full: 'Intake has more submissions waiting to be stored than it takes at once.',
  queue_wait: 'Submissions are waiting too long to be stored.',
};
