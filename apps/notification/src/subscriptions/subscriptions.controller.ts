import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type Caller, contractSchemaRef, CorrelationId, CurrentCaller, Roles } from '@watchfloor/platform';
import { CreateSubscription } from './create-subscription.usecase';
import { CreateSubscriptionBody } from './dto/create-subscription.body';
import { PageQuery } from '@watchfloor/platform';
import { UpdateSubscriptionBody } from './dto/update-subscription.body';
import { ManageSubscription } from './manage-subscription.usecase';
import { ReadSubscriptions } from './read-subscriptions.usecase';

const MANAGERS = ['partner', 'automation', 'triage'] as const;

@ApiTags('subscriptions')
@ApiBearerAuth('bearer')
@Controller('v1/subscriptions')
export class SubscriptionsController {
  constructor(
    @Inject(CreateSubscription) private readonly createSubscription: CreateSubscription,
    @Inject(ManageSubscription) private readonly manage: ManageSubscription,
    @Inject(ReadSubscriptions) private readonly read: ReadSubscriptions,
  ) {}

  @Post()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Subscribe a webhook or an e-mail address to incident events', description: 'Clearance and organisation are the caller\'s. The webhook signing secret is in this answer only.' })
  @ApiBody({ schema: contractSchemaRef(CreateSubscriptionBody) })
  @ApiResponse({ status: 201, description: 'The subscription and `secret` (`whsec_...`; null for e-mail).' })
  create(@CurrentCaller() caller: Caller, @Body() body: CreateSubscriptionBody, @CorrelationId() correlationId: string) {
    return this.createSubscription.execute(caller, body, correlationId);
  }

  @Get()
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Your subscriptions (an admin\'s: all), newest first' })
  list(@CurrentCaller() caller: Caller, @Query() query: PageQuery) {
    return this.read.list(caller, query);
  }

  @Get(':id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'One of your subscriptions' })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string) {
    return this.read.get(caller, id);
  }

  @Patch(':id')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Change name, target, events or filter (the filter is replaced as a whole)' })
  @ApiBody({ schema: contractSchemaRef(UpdateSubscriptionBody) })
  update(@CurrentCaller() caller: Caller, @Param('id') id: string, @Body() body: UpdateSubscriptionBody, @CorrelationId() correlationId: string) {
    return this.manage.update(caller, id, body, correlationId);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Delete: nothing more is sent; waiting deliveries end as dead' })
  async remove(@CurrentCaller() caller: Caller, @Param('id') id: string, @CorrelationId() correlationId: string): Promise<void> {
    await this.manage.delete(caller, id, correlationId);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'New signing secret (returned once); the old one signs too until previousSecretExpiresAt' })
  rotate(@CurrentCaller() caller: Caller, @Param('id') id: string, @CorrelationId() correlationId: string) {
    return this.manage.rotateSecret(caller, id, correlationId);
  }
}
