import { Inject, Injectable } from '@nestjs/common';
import { tlpAllows } from '@watchfloor/contracts';
import { Clock } from '@watchfloor/persistence';
import type { Caller } from '@watchfloor/platform';
import { uuidv7 } from 'uuidv7';
import { TARGET_POLICY } from '../shared.module';
import type { TargetPolicy } from '../targets/target-policy';
import { Transactions } from '../transactions';
import type { CreateSubscriptionBody } from './dto/create-subscription.body';
import { SecretBox, newSigningSecret } from './secret-box';
import { isAdmin } from './subscription-access';
import { clearanceAboveCaller, onlyAdminsSubscribeForOthers } from './subscription.errors';
import { subscriptionChanged } from './subscription.events';
import { type SubscriptionRecord, type SubscriptionView, subscriptionView } from './subscription.record';
import { SubscriptionRepository } from './subscription.repository';
import { filterWithinScope } from './subscription-scope';
import { acceptedTarget } from './subscription-target';

/** What `POST /v1/subscriptions` answers: the subscription and, for a webhook, its secret, shown this once. */
export type CreatedSubscription = SubscriptionView & { secret: string | null };

/**
 * Makes a subscription for the caller, with the caller's clearance and organisation (admins
 * may make one for someone else, never with more than their own clearance); an automation's
 * covers its jurisdiction only. A webhook gets
 * a new signing secret, stored sealed and returned once.
 */
@Injectable()
export class CreateSubscription {
  constructor(
    @Inject(Transactions) private readonly transactions: Transactions,
    @Inject(SubscriptionRepository) private readonly subscriptions: SubscriptionRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(TARGET_POLICY) private readonly policy: TargetPolicy,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, body: CreateSubscriptionBody, correlationId: string): Promise<CreatedSubscription> {
    if (!isAdmin(caller) && body.owner) throw onlyAdminsSubscribeForOthers('owner');
    if (!isAdmin(caller) && body.clearance) throw onlyAdminsSubscribeForOthers('clearance');
    if (body.clearance && !tlpAllows(caller.clearance, body.clearance)) throw clearanceAboveCaller();
    const target = acceptedTarget(body.channel, body.target, this.policy);
    const secret = body.channel === 'webhook' ? newSigningSecret() : undefined;
    const now = this.clock.now();
    const owner = body.owner ?? { sub: caller.sub, ...(caller.org === undefined ? {} : { org: caller.org }) };
    const subscription: SubscriptionRecord = {
      id: uuidv7(),
      name: body.name.trim(),
      channel: body.channel,
      target,
      events: body.events,
      filter: filterWithinScope(caller, compactFilter(body.filter)),
      owner,
      clearance: body.clearance ?? caller.clearance,
      sealedSecret: secret === undefined ? undefined : this.secrets.seal(secret),
      version: 1,
      createdAt: now,
      updatedAt: now,
      ...(body.exercise === undefined ? {} : { exercise: body.exercise }),
    };
    await this.transactions.run(async (manager, emit) => {
      await this.subscriptions.insert(manager, subscription);
      await emit(subscriptionChanged({ subscription, action: 'created', caller, correlationId }));
    });
    return { ...subscriptionView(subscription), secret: secret ?? null };
  }
}

/** The filter without empty criteria (an empty list would match nothing, which nobody means). */
export function compactFilter(filter: CreateSubscriptionBody['filter']): SubscriptionRecord['filter'] {
  if (!filter) return {};
  return {
    ...(filter.minPriority ? { minPriority: filter.minPriority } : {}),
    ...(filter.jurisdictions?.length ? { jurisdictions: filter.jurisdictions.map((j) => j.toLowerCase()) } : {}),
    ...(filter.categories?.length ? { categories: filter.categories } : {}),
  };
}
