import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { JetStreamErrorsFilter, type JetStreamContext } from '@watchfloor/messaging';
import { RouteEvent, type RoutableEvent } from './route-event.usecase';

/**
 * Every incident event subscriptions may ask for. Each is routed in the consumer's
 * transaction (with its inbox record), so a redelivered event has no second effect.
 */
@Controller()
@UseFilters(JetStreamErrorsFilter)
export class IncidentEventsHandler {
  constructor(@Inject(RouteEvent) private readonly route: RouteEvent) {}

  @EventPattern<string>('watchfloor.incident.reported.v1')
  async onReported(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.updated.v1')
  async onUpdated(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.triaged.v1')
  async onTriaged(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.reprioritized.v1')
  async onReprioritized(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.assigned.v1')
  async onAssigned(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.acknowledged.v1')
  async onAcknowledged(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.escalated.v1')
  async onEscalated(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.status_changed.v1')
  async onStatusChanged(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.correlated.v1')
  async onCorrelated(@Payload() event: RoutableEvent, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.route.execute(ctx.manager, event);
  }
}
