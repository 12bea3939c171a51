import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AnyEvent } from '@watchfloor/contracts';
import { Outbox } from '@watchfloor/messaging';
import { Batcher, Clock, inTransaction } from '@watchfloor/persistence';
import { CONFIG, counter, gauge, histogram, ROOT_LOGGER, traceparentOfSpan, TRACING, type Tracing, withActiveSpan } from '@watchfloor/platform';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import type { NotificationEnv } from '../config';
import { HOST_RESOLVER, TARGET_POLICY } from '../shared.module';
import { SecretBox } from '../subscriptions/secret-box';
import type { ResolveHost, TargetPolicy } from '../targets/target-policy';
import { Transactions } from '../transactions';
import { SenderWakeup } from '../wakeup';
import type { AttemptResult } from './attempt';
import { CircuitBreakers } from './circuit-breaker';
import type { ClaimedDelivery } from './delivery.record';
import { endDeliverySpan, startDeliverySpan } from './delivery-span';
import { notificationDelivered, notificationFailed } from './delivery.events';
import { type AttemptRecord, DeliveryRepository } from './delivery.repository';
import { EmailSender } from './email-sender';
import { nextStep, type RetryPolicy } from './retry-policy';
import { targetKey } from './target-key';
import { WebhookSender } from './webhook-sender';

const attemptsTotal = counter<'channel' | 'outcome'>({ name: 'notification_attempts_total', help: 'Delivery attempts by channel and outcome (delivered, failed, dead, short_circuited).', labelNames: ['channel', 'outcome'] });
const deliveryLatency = histogram<'channel'>({
  name: 'notification_delivery_latency_seconds',
  help: 'From the event\'s publication to its delivery.',
  labelNames: ['channel'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
});

const openCircuits = gauge({ name: 'notification_open_circuits', help: 'Targets whose circuit breaker is open in this replica.' });
const attemptsInFlight = gauge({ name: 'notification_attempts_in_flight', help: 'Delivery attempts in progress in this replica.' });

/** An attempt's outcome on its way to the ledger. */
interface RecordedOutcome {
  delivery: ClaimedDelivery;
  outcome: AttemptRecord;
  latencyMs: number;
  /** The attempt's span, for the outcome's event. */
  traceparent?: string;
}

/**
 * The sender: claims due deliveries from the ledger (leases, `SKIP LOCKED`: one sender per
 * delivery across replicas), attempts them with bounded concurrency overall and per
 * target, consults each target's circuit breaker, and records every outcome with its
 * `notification.delivered` / `notification.failed` event in one transaction (outcomes
 * finishing together share one statement and one commit). Retries are rows with a later
 * `next_attempt_at`, so they survive restarts.
 */
@Injectable()
export class Sender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly perTarget = new Map<string, number>();
  /** Claimed deliveries waiting for a slot of their target (at most one round: they start well within their lease). */
  private readonly waiting = new Map<string, ClaimedDelivery[]>();
  private readonly breakers: CircuitBreakers;
  private readonly webhooks: WebhookSender;
  private readonly email: EmailSender;
  private readonly retry: RetryPolicy;
  private readonly leaseMs: number;
  private readonly logger: Logger;
  private readonly outcomes: Batcher<RecordedOutcome, boolean>;
  private running = false;
  private loop: Promise<void> | undefined;
  private wakePending = false;
  /** The loop waits for free slots (not for due work). */
  private waitingForSlots = false;
  /** Targets the last claim skipped because they were busy. */
  private skippedTargets = new Set<string>();
  private wakeSleeper: (() => void) | undefined;

  constructor(
    @Inject(DataSource) dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(Transactions) private readonly transactions: Transactions,
    @Inject(DeliveryRepository) private readonly deliveries: DeliveryRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(SenderWakeup) private readonly wakeup: SenderWakeup,
    @Inject(CONFIG) private readonly config: NotificationEnv,
    @Inject(TARGET_POLICY) policy: TargetPolicy,
    @Inject(HOST_RESOLVER) resolveHost: ResolveHost,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Inject(TRACING) private readonly tracing: Tracing,
    @Inject(Clock) private readonly clock: Clock,
  ) {
    this.logger = logger.child({ component: 'sender' });
    this.breakers = new CircuitBreakers(config.NOTIFICATION_BREAKER_THRESHOLD, config.NOTIFICATION_BREAKER_COOLDOWN_MS);
    this.webhooks = new WebhookSender(policy, config.NOTIFICATION_WEBHOOK_TIMEOUT_MS, resolveHost, () => clock.now().getTime());
    this.email = new EmailSender(config.NOTIFICATION_SMTP_URL, config.NOTIFICATION_MAIL_FROM, config.NOTIFICATION_WEBHOOK_TIMEOUT_MS);
    this.retry = { maxAttempts: config.NOTIFICATION_MAX_ATTEMPTS, baseDelayMs: config.NOTIFICATION_RETRY_BASE_MS, maxDelayMs: config.NOTIFICATION_RETRY_MAX_MS };
    // Long enough that a live attempt always finishes (and records) before another replica may take it over.
    this.leaseMs = 2 * config.NOTIFICATION_WEBHOOK_TIMEOUT_MS + 5_000;
    this.outcomes = new Batcher(
      async (items) => {
        const kept = await inTransaction(dataSource, (manager) => this.write(manager, items));
        return items.map((item) => ({ ok: true as const, value: kept.has(item.delivery.id) }));
      },
      { maxBatch: 256, maxWaitMs: 2, concurrency: 2 },
    );
  }

  onApplicationBootstrap(): void {
    this.wakeup.onWake(() => this.wake());
    this.running = true;
    this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    // Not started: give them back now rather than leave them to their leases.
    const waiting = [...this.waiting.values()].flat();
    this.waiting.clear();
    await this.deliveries.release(this.transactions.manager, waiting).catch((error: unknown) => this.logger.error({ err: error }, 'giving back waiting deliveries failed'));
    await Promise.allSettled([...this.inFlight]);
    await this.outcomes.drain();
    this.webhooks.close();
    this.email.close();
  }

  /** Look for due deliveries now (after a commit that made some, or a manual retry). */
  wake(): void {
    this.wakePending = true;
    this.wakeSleeper?.();
  }

  /** A manual retry also gives the target's circuit another chance. */
  resetTarget(channel: ClaimedDelivery['channel'], target: string): void {
    this.breakers.reset(targetKey(channel, target));
  }

  private async run(): Promise<void> {
    // Claims come in useful batches: the loop waits for a quarter of the slots to be free.
    const minBatch = Math.max(1, Math.floor(this.config.NOTIFICATION_SEND_CONCURRENCY / 4));
    while (this.running) {
      this.wakePending = false;
      openCircuits.set(this.breakers.openTargets().length);
      attemptsInFlight.set(this.inFlight.size);
      const batch = Math.min(this.freeSlots(), 100);
      if (batch < minBatch) {
        this.waitingForSlots = true;
        await this.sleep(this.config.NOTIFICATION_POLL_MS);
        this.waitingForSlots = false;
        continue;
      }
      let claimed: ClaimedDelivery[] = [];
      try {
        const busy = this.busyTargets();
        this.skippedTargets = new Set(busy);
        claimed = await this.deliveries.claimDue(this.transactions.manager, batch, this.leaseMs, busy);
      } catch (error) {
        this.logger.error({ err: error }, 'claiming due deliveries failed; will try again');
      }
      await this.startWithinTargetLimits(claimed);
      // A full batch means more may be due: go again at once; otherwise wait for a wake-up or the poll.
      if (claimed.length < batch) await this.sleep(this.config.NOTIFICATION_POLL_MS);
    }
  }

  private freeSlots(): number {
    return this.config.NOTIFICATION_SEND_CONCURRENCY - this.inFlight.size - this.waitingCount();
  }

  /** After an attempt: claim again only if that is now worth it (slots freed, or a skipped target's queue half empty). */
  private attemptFinished(key: string): void {
    const minBatch = Math.max(1, Math.floor(this.config.NOTIFICATION_SEND_CONCURRENCY / 4));
    const targetHasRoom = (this.waiting.get(key)?.length ?? 0) <= this.config.NOTIFICATION_TARGET_CONCURRENCY / 2;
    if ((this.waitingForSlots && this.freeSlots() >= minBatch) || (this.skippedTargets.has(key) && targetHasRoom)) {
      this.skippedTargets.delete(key);
      this.wake();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.wakePending || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeSleeper = done;
    });
  }

  /**
   * Starts the claimed deliveries whose target has a free slot; up to one round more per
   * target waits in memory (it starts within one attempt's time, well within its lease);
   * the rest are given back at once, and the next claims skip their busy target.
   */
  private async startWithinTargetLimits(claimed: readonly ClaimedDelivery[]): Promise<void> {
    const limit = this.config.NOTIFICATION_TARGET_CONCURRENCY;
    const excess: ClaimedDelivery[] = [];
    for (const delivery of claimed) {
      const key = targetKey(delivery.channel, delivery.target);
      const queue = this.waiting.get(key) ?? [];
      if ((this.perTarget.get(key) ?? 0) < limit) this.begin(delivery, key);
      else if (queue.length < limit) this.waiting.set(key, [...queue, delivery]);
      else excess.push(delivery);
    }
    try {
      await this.deliveries.release(this.transactions.manager, excess);
    } catch (error) {
      this.logger.error({ err: error }, 'giving back claimed deliveries failed; their leases will expire');
    }
  }

  private waitingCount(): number {
    let count = 0;
    for (const queue of this.waiting.values()) count += queue.length;
    return count;
  }

  private busyTargets(): string[] {
    const limit = this.config.NOTIFICATION_TARGET_CONCURRENCY;
    return [...this.perTarget.entries()].filter(([key, n]) => n >= limit && (this.waiting.get(key)?.length ?? 0) >= limit).map(([key]) => key);
  }

  private begin(delivery: ClaimedDelivery, key: string): void {
    this.perTarget.set(key, (this.perTarget.get(key) ?? 0) + 1);
    const task: Promise<void> = this.attempt(delivery, key)
      .catch((error: unknown) => this.logger.error({ err: error, deliveryId: delivery.id }, 'delivery attempt crashed; its lease will expire and it will be tried again'))
      .finally(() => {
        const left = (this.perTarget.get(key) ?? 1) - 1;
        if (left > 0) this.perTarget.set(key, left);
        else this.perTarget.delete(key);
        this.inFlight.delete(task);
        const next = this.running ? this.waiting.get(key)?.shift() : undefined;
        if (this.waiting.get(key)?.length === 0) this.waiting.delete(key);
        if (next) this.begin(next, key);
        this.attemptFinished(key);
      });
    this.inFlight.add(task);
  }

  private async attempt(delivery: ClaimedDelivery, key: string): Promise<void> {
    const span = startDeliverySpan(this.tracing.tracer, delivery);
    const traceparent = traceparentOfSpan(span);
    const admission = this.breakers.admit(key);
    let result: AttemptResult;
    if (admission === 'open') {
      result = { ok: false, retryable: true, notTargetFault: true, error: `circuit open: ${key} failed repeatedly, not attempted` };
    } else {
      result = await withActiveSpan(span, () => this.send(delivery, traceparent));
      this.updateBreaker(key, result, admission === 'probe');
    }
    endDeliverySpan(span, result, admission === 'open');
    await this.record(delivery, result, admission === 'open', traceparent);
  }

  private send(delivery: ClaimedDelivery, traceparent: string | undefined): Promise<AttemptResult> {
    try {
      if (delivery.channel === 'email') {
        return this.email.send({ id: delivery.id, to: delivery.target, event: JSON.parse(delivery.body) as AnyEvent });
      }
      return this.webhooks.send({ id: delivery.id, target: delivery.target, body: delivery.body, secrets: this.signingSecrets(delivery), traceparent });
    } catch (error) {
      // A secret that does not open (wrong key) is the deployment's fault, not the target's.
      return Promise.resolve({ ok: false, retryable: true, notTargetFault: true, error: `cannot send: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  private signingSecrets(delivery: ClaimedDelivery): string[] {
    if (!delivery.sealedSecret) throw new Error(`subscription ${delivery.subscriptionId} has no signing secret (deleted?)`);
    const sealed = [delivery.sealedSecret];
    if (delivery.sealedPreviousSecret && delivery.previousSecretExpiresAt && delivery.previousSecretExpiresAt.getTime() > this.clock.now().getTime()) {
      sealed.push(delivery.sealedPreviousSecret);
    }
    try {
      return sealed.map((value) => this.secrets.open(value));
    } catch (error) {
      // The operator must act (a key dropped too early, or a wrong one): say which subscription.
      const message = `the signing secret of subscription ${delivery.subscriptionId} does not open: ${error instanceof Error ? error.message : String(error)}`;
      this.logger.error({ subscriptionId: delivery.subscriptionId, deliveryId: delivery.id }, message);
      throw new Error(message);
    }
  }

  private updateBreaker(key: string, result: AttemptResult, probe: boolean): void {
    if (result.ok || (!result.retryable && !result.notTargetFault)) this.breakers.success(key);
    else if (!result.notTargetFault || probe) this.breakers.failure(key);
  }

  /** Outcomes finished together: their ledger rows in one statement, and the events of those still claimed. */
  private async write(manager: EntityManager, items: readonly RecordedOutcome[]): Promise<Set<string>> {
    const kept = await this.deliveries.recordAttempts(manager, items);
    const events = items
      .filter((item) => kept.has(item.delivery.id))
      .map(({ delivery, outcome, latencyMs, traceparent }) =>
        outcome.status === 'delivered'
          ? notificationDelivered(delivery, latencyMs, traceparent)
          : notificationFailed(delivery, latencyMs, { error: outcome.error, deadLettered: outcome.status === 'dead', ...(outcome.httpStatus === undefined ? {} : { httpStatus: outcome.httpStatus }) }, traceparent),
      );
    await this.outbox.addAll(manager, events);
    return kept;
  }

  private async record(delivery: ClaimedDelivery, result: AttemptResult, shortCircuited: boolean, traceparent: string | undefined): Promise<void> {
    const latencyMs = this.clock.now().getTime() - delivery.publishedAt.getTime();
    const outcome = outcomeOf(result, nextStep(result, delivery.attemptOfBudget, this.retry), latencyMs);
    const kept = await this.outcomes.submit({ delivery, outcome, latencyMs, traceparent });
    if (!kept) {
      this.logger.info({ deliveryId: delivery.id }, 'attempt outcome not recorded: the delivery was claimed again, retried or deleted meanwhile');
      return;
    }
    attemptsTotal.inc({ channel: delivery.channel, outcome: shortCircuited ? 'short_circuited' : outcome.status });
    if (outcome.status === 'delivered') deliveryLatency.observe({ channel: delivery.channel }, latencyMs / 1000);
    if (outcome.status === 'dead') this.logger.warn({ deliveryId: delivery.id, subscriptionId: delivery.subscriptionId, error: outcome.error }, 'delivery is dead');
  }
}

/** The ledger's record of an attempt and what follows it. */
function outcomeOf(result: AttemptResult, step: ReturnType<typeof nextStep>, latencyMs: number): AttemptRecord {
  const answered = result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus };
  if (result.ok) return { status: 'delivered', latencyMs, ...answered };
  if (step.kind === 'retry') return { status: 'failed', retryInMs: step.delayMs, error: result.error, ...answered };
  return { status: 'dead', error: result.error, ...answered };
}
