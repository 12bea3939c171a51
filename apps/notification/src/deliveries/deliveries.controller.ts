import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Caller, CurrentCaller, Roles } from '@watchfloor/platform';
import { Deliveries } from './deliveries.usecase';
import { ListDeliveriesQuery } from './dto/list-deliveries.query';

const OWNERS = ['partner', 'automation', 'triage'] as const;

@ApiTags('deliveries')
@ApiBearerAuth('bearer')
@Controller('v1/deliveries')
export class DeliveriesController {
  constructor(@Inject(Deliveries) private readonly deliveries: Deliveries) {}

  @Get()
  @Roles(...OWNERS)
  @ApiOperation({ summary: 'The delivery log of your subscriptions, newest first', description: 'Filters: status, subscriptionId, eventId.' })
  list(@CurrentCaller() caller: Caller, @Query() query: ListDeliveriesQuery) {
    return this.deliveries.list(caller, query);
  }

  @Get(':id')
  @Roles(...OWNERS)
  @ApiOperation({ summary: 'One delivery' })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.deliveries.get(caller, id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @Roles(...OWNERS)
  @ApiOperation({ summary: 'Send a failed or dead delivery again now (same webhook-id, fresh retry budget)' })
  retry(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.deliveries.retry(caller, id);
  }
}
