import { IsBoolean, IsIn, IsInt, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { EVENT_TYPES } from '../catalogue/event-types';
import { DELIVERY_CHANNELS, type DeliveryChannel } from '../domain/notification';
import { BOUNDS } from '../validation/bounds';
import { IsExerciseId } from '../exercise/exercise-id';
import { IsNotBlank, Optional } from '../validation/rules';

/** What every delivery outcome says: which event went to which subscription, and how it went. */
export abstract class DeliveryOutcome {
  /** Stable across retries; also the `webhook-id` header. */
  @IsUUID()
  deliveryId: string;

  @IsUUID()
  subscriptionId: string;

  /** The CloudEvent `id` of the event that was delivered. */
  @IsUUID()
  eventId: string;

  @IsIn(EVENT_TYPES)
  eventType: (typeof EVENT_TYPES)[number];

  /** The incident the event was about, when it was about one. */
  @Optional()
  @IsUUID()
  incidentId?: string;

  @IsIn(DELIVERY_CHANNELS)
  channel: DeliveryChannel;

  @IsInt()
  @Min(1)
  @Max(1000)
  attempts: number;

  /** From the event's publication to the final attempt's outcome. */
  @IsInt()
  @Min(0)
  latencyMs: number;

  /** The exercise of the event and subscription (docs/exercises.md); absent for real traffic. */
  @Optional()
  @IsExerciseId()
  exercise?: string;
}

/** `watchfloor.notification.delivered.v1`: a subscriber accepted an event. */
export class NotificationDeliveredV1 extends DeliveryOutcome {}

/** `watchfloor.notification.failed.v1`: an attempt failed; `deadLettered` when no retry follows. */
export class NotificationFailedV1 extends DeliveryOutcome {
  /** Why, without secrets or response bodies. */
  @IsString()
  @IsNotBlank()
  @MaxLength(BOUNDS.errorMessage)
  error: string;

  @IsBoolean()
  deadLettered: boolean;

  /** The webhook's HTTP status, when it answered. */
  @Optional()
  @IsInt()
  @Min(100)
  @Max(599)
  httpStatus?: number;
}
