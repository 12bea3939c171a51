// class-transformer's @Type reads design-time metadata while the class is being defined.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsObject, IsUUID, Matches, ValidateNested } from 'class-validator';
import { DELIVERY_CHANNELS, SUBSCRIPTION_ACTIONS, type DeliveryChannel, type SubscriptionAction } from '../domain/notification';
import { IsExerciseId } from '../exercise/exercise-id';
import { Optional } from '../validation/rules';
import { Initiator } from './common';

/**
 * `watchfloor.subscription.changed.v1`: a subscription was created, updated or deleted.
 * Never carries the signing secret or the target; a secret rotation is an `updated` with
 * `changedFields: ['secret']`.
 */
export class SubscriptionChangedV1 {
  @IsUUID()
  subscriptionId: string;

  @IsIn(SUBSCRIPTION_ACTIONS)
  action: SubscriptionAction;

  @IsObject()
  @ValidateNested()
  @Type(() => Initiator)
  by: Initiator;

  @Optional()
  @IsIn(DELIVERY_CHANNELS)
  channel?: DeliveryChannel;

  /** Names of the fields an `updated` changed, e.g. `filter`, `events`, `secret`. */
  @Optional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-zA-Z][a-zA-Z0-9_.]{0,63}$/, { each: true })
  changedFields?: string[];

  /** The exercise of an exercise subscription (docs/exercises.md); absent for real traffic. */
  @Optional()
  @IsExerciseId()
  exercise?: string;
}
