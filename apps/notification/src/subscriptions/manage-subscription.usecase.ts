import { Inject, Injectable } from '@nestjs/common';
import { isUuid } from '@watchfloor/contracts';
import { Clock } from '@watchfloor/persistence';
import { CONFIG, type Caller } from '@watchfloor/platform';
import type { NotificationEnv } from '../config';
import { TARGET_POLICY } from '../shared.module';
import type { TargetPolicy } from '../targets/target-policy';
import { Transactions } from '../transactions';
import { compactFilter } from './create-subscription.usecase';
import type { UpdateSubscriptionBody } from './dto/update-subscription.body';
import { SecretBox, newSigningSecret } from './secret-box';
import { canManage } from './subscription-access';
import { emptyChange, noSecretForEmail, subscriptionNotFound } from './subscription.errors';
import { subscriptionChanged } from './subscription.events';
import { type SubscriptionRecord, type SubscriptionView, subscriptionView } from './subscription.record';
import { SubscriptionRepository } from './subscription.repository';
import { acceptedTarget } from './subscription-target';
import { filterWithinScope } from './subscription-scope';

/** Changes, deletes and rotates the secret of a subscription; each is a `subscription.changed` event. */
@Injectable()
export class ManageSubscription {
  constructor(
    @Inject(Transactions) private readonly transactions: Transactions,
    @Inject(SubscriptionRepository) private readonly subscriptions: SubscriptionRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(TARGET_POLICY) private readonly policy: TargetPolicy,
    @Inject(CONFIG) private readonly config: NotificationEnv,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** PATCH: the fields given replace the stored ones; the target is checked again. */
  async update(caller: Caller, id: string, body: UpdateSubscriptionBody, correlationId: string): Promise<SubscriptionView> {
    const changedFields = (['name', 'target', 'events', 'filter'] as const).filter((field) => body[field] !== undefined);
    if (changedFields.length === 0) throw emptyChange();
    return this.transactions.run(async (manager, emit) => {
      const current = await this.load(manager, caller, id);
      const next: SubscriptionRecord = {
        ...current,
        ...(body.name !== undefined ? { name: body.name.trim() } : {}),
        ...(body.target !== undefined ? { target: acceptedTarget(current.channel, body.target, this.policy) } : {}),
        ...(body.events !== undefined ? { events: body.events } : {}),
        ...(body.filter !== undefined ? { filter: filterWithinScope(caller, compactFilter(body.filter)) } : {}),
        version: current.version + 1,
        updatedAt: this.clock.now(),
      };
      await this.subscriptions.save(manager, next);
      await emit(subscriptionChanged({ subscription: next, action: 'updated', caller, changedFields: [...changedFields], correlationId }));
      return subscriptionView(next);
    });
  }

  /** DELETE: no more deliveries; those still waiting end as dead ("subscription deleted"). */
  async delete(caller: Caller, id: string, correlationId: string): Promise<void> {
    await this.transactions.run(async (manager, emit) => {
      const current = await this.load(manager, caller, id);
      await this.subscriptions.delete(manager, id, this.clock.now());
      await emit(subscriptionChanged({ subscription: current, action: 'deleted', caller, correlationId }));
    });
  }

  /**
   * A new signing secret, returned once. The old one keeps signing for the grace period:
   * each webhook then carries both signatures, so the receiver can switch at its pace.
   */
  async rotateSecret(caller: Caller, id: string, correlationId: string): Promise<SubscriptionView & { secret: string }> {
    return this.transactions.run(async (manager, emit) => {
      const current = await this.load(manager, caller, id);
      if (current.channel !== 'webhook' || !current.sealedSecret) throw noSecretForEmail();
      const secret = newSigningSecret();
      const now = this.clock.now();
      // A secret sealed under a key that is gone (lost, dropped too early) cannot sign during
      // a grace period: the new secret alone signs, which is how such a subscription recovers.
      const keepPrevious = this.secrets.opens(current.sealedSecret);
      const next: SubscriptionRecord = {
        ...current,
        sealedSecret: this.secrets.seal(secret),
        sealedPreviousSecret: keepPrevious ? current.sealedSecret : undefined,
        previousSecretExpiresAt: keepPrevious ? new Date(now.getTime() + this.config.NOTIFICATION_SECRET_GRACE_SECONDS * 1000) : undefined,
        version: current.version + 1,
        updatedAt: now,
      };
      await this.subscriptions.save(manager, next);
      await emit(subscriptionChanged({ subscription: next, action: 'updated', caller, changedFields: ['secret'], correlationId }));
      return { ...subscriptionView(next), secret };
    });
  }

  private async load(manager: Parameters<SubscriptionRepository['findById']>[0], caller: Caller, id: string): Promise<SubscriptionRecord> {
    const subscription = isUuid(id) ? await this.subscriptions.findById(manager, id, { lock: true }) : undefined;
    if (!subscription || !canManage(caller, subscription)) throw subscriptionNotFound();
    return subscription;
  }
}
