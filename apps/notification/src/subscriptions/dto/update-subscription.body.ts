import 'reflect-metadata';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';
import { BOUNDS, IsNotBlank, Optional } from '@watchfloor/contracts';
import { ROUTABLE_EVENT_TYPES, type RoutableEventType } from '../../routing/routable-events';
import { TARGET_MAX_LENGTH } from './create-subscription.body';
import { SubscriptionFilterBody } from './subscription-filter.body';

/** Body of `PATCH /v1/subscriptions/:id`: the fields given replace the stored ones (`filter` as a whole; `{}` clears it). */
export class UpdateSubscriptionBody {
  @Optional()
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.name)
  name?: string;

  @Optional()
  @IsString()
  @MaxLength(TARGET_MAX_LENGTH)
  target?: string;

  @Optional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROUTABLE_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(ROUTABLE_EVENT_TYPES, { each: true })
  events?: RoutableEventType[];

  @Optional()
  @IsObject()
  @ValidateNested()
  @Type(() => SubscriptionFilterBody)
  filter?: SubscriptionFilterBody;
}
