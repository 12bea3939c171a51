import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DELIVERY_STATUSES, type DeliveryStatus } from '@watchfloor/contracts';
import { PageQuery } from '@watchfloor/platform';

/** Query of `GET /v1/deliveries`. */
export class ListDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'Only this subscription\'s deliveries.' })
  @IsOptional()
  @IsUUID()
  subscriptionId?: string;

  @ApiPropertyOptional({ description: 'Only deliveries of this event (CloudEvent id).' })
  @IsOptional()
  @IsUUID()
  eventId?: string;
}
