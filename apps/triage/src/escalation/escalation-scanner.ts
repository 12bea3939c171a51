import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { CONFIG, ROOT_LOGGER } from '@watchfloor/platform';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { TriageEnv } from '../config';
import { EscalateMissedDeadline, EscalationFailedError } from './escalate-missed-deadline.usecase';
import { EscalationRepository } from './escalation.repository';

/** How long an incident whose escalation failed is put aside before it is tried again. */
const RETRY_FAILED_AFTER_MS = 60_000;

/**
 * Looks for missed acknowledgement deadlines every `TRIAGE_ESCALATION_POLL_MS` and escalates
 * them one by one. The state is in Postgres, not in this timer: after a restart the first
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

  /** Escalates everything due now, up to `TRIAGE_ESCALATION_BATCH`; returns how many. */
  async scanOnce(now: Date = new Date()): Promise<number> {
    let escalated = 0;
    while (escalated < this.config.TRIAGE_ESCALATION_BATCH && !this.stopped) {
      try {
        if (!(await this.escalate.execute(now))) break;
        escalated++;
      } catch (error) {
        if (!(error instanceof EscalationFailedError)) throw error;
        // One broken incident must not hold up every deadline behind it.
        this.logger.error({ err: error, incidentId: error.incidentId }, 'escalation failed; retrying this incident in a minute');
        await this.escalations.scheduleNext(this.dataSource.manager, error.incidentId, new Date(now.getTime() + RETRY_FAILED_AFTER_MS));
      }
    }
    return escalated;
  }

  private scheduleScan(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.scanning = this.scanOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'escalation scan failed; next scan as usual'))
        .finally(() => {
          this.scanning = undefined;
          this.scheduleScan(this.config.TRIAGE_ESCALATION_POLL_MS);
        });
    }, delayMs);
  }
}
