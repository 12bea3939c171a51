import { Module } from '@nestjs/common';
import { CreateSubscription } from './create-subscription.usecase';
import { ManageSubscription } from './manage-subscription.usecase';
import { ReadSubscriptions } from './read-subscriptions.usecase';
import { SubscriptionRepository } from './subscription.repository';
import { SubscriptionsController } from './subscriptions.controller';

/** Who is told what: subscriptions, their secrets and filters. */
@Module({
  controllers: [SubscriptionsController],
  providers: [SubscriptionRepository, CreateSubscription, ManageSubscription, ReadSubscriptions],
  exports: [SubscriptionRepository],
})
export class SubscriptionsModule {}
