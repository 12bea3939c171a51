import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Clock } from '@watchfloor/persistence';
import { CONFIG, ROOT_LOGGER } from '@watchfloor/platform';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { TriageEnv } from '../config';
import { EscalateMissedDeadline, type Escalated, EscalationFailedError } from './escalate-missed-deadline.usecase';
import { EscalationRepository } from './escalation.repository';

/** Incidents claimed and escalated in one transaction (one commit for many escalations). */
const CLAIM_SIZE = 50;

/** Shortest pause between scans that found nothing to do. */
const MIN_RESCAN_MS = 20;

/** How long an incident whose escalation failed is put aside before it is tried again. */
const RETRY_FAILED_AFTER_MS = 60_000;

/**
 * Escalates missed acknowledgement deadlines as they fall due (waking for the earliest one,
 * at the latest every `TRIAGE_ESCALATION_POLL_MS`), a claim of up to 50 per transaction
 * (written together). The state is in Postgres, not in this timer: after a restart the first
 * look finds whatever fell due while triage was down, and with several replicas each
 * deadline is claimed by exactly one of them.
 */
@Injectable()
export class EscalationScanner implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private timer?: NodeJS.Timeout;
  private scanning?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(CONFIG) private readonly config: TriageEnv,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(EscalateMissedDeadline) private readonly escalate: EscalateMissedDeadline,
    @Inject(EscalationRepository) private readonly escalations: EscalationRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(ROOT_LOGGER) rootLogger: Logger,
  ) {
    this.logger = rootLogger.child({ context: EscalationScanner.name });
  }

  onApplicationBootstrap(): void {
    this.scheduleScan(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.scanning;
  }

  /** Escalates everything due now (Postgres's time), up to `TRIAGE_ESCALATION_BATCH`; returns how many. */
  async scanOnce(now: Date = this.clock.now()): Promise<number> {
    let escalated = 0;
    while (escalated < this.config.TRIAGE_ESCALATION_BATCH && !this.stopped) {
      const limit = Math.min(CLAIM_SIZE, this.config.TRIAGE_ESCALATION_BATCH - escalated);
      let done: Escalated[];
      try {
        done = await this.escalate.execute(now, limit);
      } catch (error) {
        if (!(error instanceof EscalationFailedError)) throw error;
        // Something in the claim failed and it all rolled back: go one by one, so only it waits.
        done = await this.oneByOne(now, limit);
      }
      if (done.length === 0) break;
      escalated += done.length;
    }
    return escalated;
  }

  private async oneByOne(now: Date, limit: number): Promise<Escalated[]> {
    const done: Escalated[] = [];
    for (let attempt = 0; attempt < limit && !this.stopped; attempt++) {
      try {
        const escalated = await this.escalate.execute(now, 1);
        if (escalated.length === 0) break;
        done.push(...escalated);
      } catch (error) {
        if (!(error instanceof EscalationFailedError)) throw error;
        // One broken incident must not hold up every deadline behind it (a claim of one names it).
        const later = new Date(now.getTime() + RETRY_FAILED_AFTER_MS);
        this.logger.error({ err: error, incidentIds: error.incidentIds }, 'escalation failed; retrying this incident in a minute');
        await this.escalations.scheduleAll(this.dataSource.manager, error.incidentIds.map((incidentId) => ({ incidentId, next: later })));
      }
    }
    return done;
  }

  /**
   * At once after a full batch (more may be due); else when the earliest known deadline
   * falls due, so escalations fire on time rather than up to a poll late; and at the latest
   * after a poll, to see deadlines another replica has set since.
   */
  private async delayUntilNextScan(escalated: number): Promise<number> {
    const poll = this.config.TRIAGE_ESCALATION_POLL_MS;
    if (escalated >= this.config.TRIAGE_ESCALATION_BATCH) return 0;
    const nextDue = await this.escalations.nextDue(this.dataSource.manager);
    if (!nextDue) return poll;
    // A due row this scan skipped is locked by another transaction: do not spin on it.
    return Math.min(poll, Math.max(MIN_RESCAN_MS, nextDue.getTime() - this.clock.now().getTime()));
  }

  private scheduleScan(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      let delay = this.config.TRIAGE_ESCALATION_POLL_MS;
      this.scanning = this.scanOnce()
        .then(async (escalated) => {
          delay = await this.delayUntilNextScan(escalated);
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'escalation scan failed; next scan as usual'))
        .finally(() => {
          this.scanning = undefined;
          this.scheduleScan(delay);
        });
    }, delayMs);
  }
}
