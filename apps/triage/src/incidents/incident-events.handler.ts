import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@watchfloor/contracts';
import { BATCH, JetStreamErrorsFilter, type JetStreamBatchContext, type JetStreamContext } from '@watchfloor/messaging';
import { ApplyIncidentUpdate } from './apply-update.usecase';
import { TriageNewIncident } from './triage-incident.usecase';

/**
 * Intake's events, each handled once in the transport's transaction (inbox). Reports come
 * as a batch (a pull's messages), written with shared statements; if the batch fails, the
 * transport hands them over again one at a time, so a bad one fails alone.
 */
@Controller()
@UseFilters(JetStreamErrorsFilter)
export class IncidentEventsHandler {
  constructor(
    @Inject(TriageNewIncident) private readonly triage: TriageNewIncident,
    @Inject(ApplyIncidentUpdate) private readonly applyUpdate: ApplyIncidentUpdate,
  ) {}

  @EventPattern<string>('watchfloor.incident.reported.v1', BATCH)
  async reported(@Ctx() ctx: JetStreamBatchContext<EventOf<'watchfloor.incident.reported.v1'>>): Promise<void> {
    await this.triage.executeAll(ctx.manager, ctx.messages);
  }

  @EventPattern<string>('watchfloor.incident.updated.v1')
  async updated(@Payload() event: EventOf<'watchfloor.incident.updated.v1'>, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.applyUpdate.execute(ctx.manager, event);
  }
}
