import { Controller, Inject, UseFilters } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@watchfloor/contracts';
import { JetStreamErrorsFilter, type JetStreamContext } from '@watchfloor/messaging';
import { TrackIncident } from './track-incident.usecase';
import { trackingStatusOf } from './triage-progress';

const TRIAGED = 'watchfloor.incident.triaged.v1';
const ACKNOWLEDGED = 'watchfloor.incident.acknowledged.v1';
const STATUS_CHANGED = 'watchfloor.incident.status_changed.v1';
const REPRIORITIZED = 'watchfloor.incident.reprioritized.v1';

/** Triage's events that change what the submitter sees (status, priority, acknowledgement). */
@Controller()
@UseFilters(JetStreamErrorsFilter)
export class TriageEventsHandler {
  constructor(@Inject(TrackIncident) private readonly track: TrackIncident) {}

  @EventPattern<string>(TRIAGED)
  onTriaged(@Payload() event: EventOf<typeof TRIAGED>, @Ctx() ctx: JetStreamContext): Promise<void> {
    const { incidentId, version, priority, exercise } = event.data;
    return this.track.execute(ctx.manager, { incidentId, version, at: event.time, status: 'triaged', priority, exercise });
  }

  @EventPattern<string>(ACKNOWLEDGED)
  onAcknowledged(@Payload() event: EventOf<typeof ACKNOWLEDGED>, @Ctx() ctx: JetStreamContext): Promise<void> {
    const { incidentId, version, at, exercise } = event.data;
    return this.track.execute(ctx.manager, { incidentId, version, at: event.time, status: 'acknowledged', acknowledgedAt: at, exercise });
  }

  @EventPattern<string>(STATUS_CHANGED)
  onStatusChanged(@Payload() event: EventOf<typeof STATUS_CHANGED>, @Ctx() ctx: JetStreamContext): Promise<void> {
    const { incidentId, version, to, resolution, exercise } = event.data;
    return this.track.execute(ctx.manager, { incidentId, version, at: event.time, status: trackingStatusOf(to), resolution, exercise });
  }

  @EventPattern<string>(REPRIORITIZED)
  onReprioritized(@Payload() event: EventOf<typeof REPRIORITIZED>, @Ctx() ctx: JetStreamContext): Promise<void> {
    const { incidentId, version, to, exercise } = event.data;
    return this.track.execute(ctx.manager, { incidentId, version, at: event.time, priority: to, exercise });
  }
}
