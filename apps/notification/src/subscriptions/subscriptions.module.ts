import { Module } from '@nestjs/common';
import { CreateSubscription } from './create-subscription.usecase';
import { ManageSubscription } from './manage-subscription.usecase';
import { ReadSubscriptions } from './read-subscriptions.usecase';
import { ResealSecrets } from './reseal-secrets';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsController } from './subscriptions.controller';

/** Who is told what: subscriptions, their secrets (and their re-sealing after a key rotation) and filters. */
@Module({
  controllers: [SubscriptionsController],
  providers: [SubscriptionRepository, CreateSubscription, ManageSubscription, ReadSubscriptions, ResealSecrets],
  exports: [SubscriptionRepository],
})
export class SubscriptionsModule {}
