import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { BOUNDS, DELIVERY_CHANNELS, IsExerciseId, IsNotBlank, Optional, PrincipalRef, TLP_LEVELS, type DeliveryChannel, type Tlp } from '@watchfloor/contracts';
import { ROUTABLE_EVENT_TYPES, type RoutableEventType } from '../../routing/routable-events';
import { SubscriptionFilterBody } from './subscription-filter.body';

/** Longest webhook URL or e-mail address accepted as a target. */
export const TARGET_MAX_LENGTH = 2048;

/** Body of `POST /v1/subscriptions`. */
export class CreateSubscriptionBody {
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.name)
  name: string;

  @IsIn(DELIVERY_CHANNELS)
  channel: DeliveryChannel;

  /** An https URL (webhook) or an e-mail address (email). */
  @IsString()
  @MaxLength(TARGET_MAX_LENGTH)
  target: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROUTABLE_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(ROUTABLE_EVENT_TYPES, { each: true })
  events: RoutableEventType[];

  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubscriptionFilterBody)
  filter?: SubscriptionFilterBody;

  /** Admin only: the subscription belongs to this principal instead of the caller. */
  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => PrincipalRef)
  owner?: PrincipalRef;

  /** Admin only: a clearance lower than the admin's own for a subscription made for someone else. */
  @Optional()
  @IsIn(TLP_LEVELS)
  clearance?: Tlp;

  /** Makes it an exercise subscription: it receives that exercise's events only (docs/exercises.md). Cannot be changed later. */
  @Optional()
  @IsExerciseId()
  exercise?: string;
}
