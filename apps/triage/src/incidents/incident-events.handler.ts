import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@watchfloor/contracts';
import { JetStreamErrorsFilter, type JetStreamContext } from '@watchfloor/messaging';
import { ApplyIncidentUpdate } from './apply-update.usecase';
import { TriageNewIncident } from './triage-incident.usecase';

/** Intake's events, each handled once in the transport's transaction (inbox). */
@Controller()
@UseFilters(JetStreamErrorsFilter)
export class IncidentEventsHandler {
  constructor(
    @Inject(TriageNewIncident) private readonly triage: TriageNewIncident,
    @Inject(ApplyIncidentUpdate) private readonly applyUpdate: ApplyIncidentUpdate,
  ) {}

  @EventPattern<string>('watchfloor.incident.reported.v1')
  async reported(@Payload() event: EventOf<'watchfloor.incident.reported.v1'>, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.triage.execute(ctx.manager, event);
  }

  @EventPattern<string>('watchfloor.incident.updated.v1')
  async updated(@Payload() event: EventOf<'watchfloor.incident.updated.v1'>, @Ctx() ctx: JetStreamContext): Promise<void> {
    await this.applyUpdate.execute(ctx.manager, event);
  }
}
