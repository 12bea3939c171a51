import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern } from '@nestjs/microservices';
import { BATCH, JetStreamErrorsFilter, type JetStreamBatchContext } from '@watchfloor/messaging';
import { RouteEvent, type RoutableEvent } from './route-event.usecase';

/**
 * Every incident event subscriptions may ask for. Each consumer's handler takes the batch of
 * a pull, routed in the consumer's transaction (with the events' inbox records), so a
 * redelivered event has no second effect; if the batch fails, the transport hands its events
 * over one at a time, so a failing one (an incident not known yet, a poison event) fails alone.
 */
@Controller()
@UseFilters(JetStreamErrorsFilter)
export class IncidentEventsHandler {
  constructor(@Inject(RouteEvent) private readonly route: RouteEvent) {}

  @EventPattern<string>('watchfloor.incident.reported.v1', BATCH)
  async onReported(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.updated.v1', BATCH)
  async onUpdated(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.triaged.v1', BATCH)
  async onTriaged(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.reprioritized.v1', BATCH)
  async onReprioritized(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.assigned.v1', BATCH)
  async onAssigned(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.acknowledged.v1', BATCH)
  async onAcknowledged(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.escalated.v1', BATCH)
  async onEscalated(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.status_changed.v1', BATCH)
  async onStatusChanged(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.correlated.v1', BATCH)
  async onCorrelated(@Ctx() ctx: JetStreamBatchContext<RoutableEvent>): Promise<void> {
    await this.route.executeAll(ctx.manager, ctx.messages);
  }
}
