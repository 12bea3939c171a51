import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { IncidentEventsHandler } from './incident-events.handler';
import { IncidentProjection } from './incident-projection';
import { RouteEvent } from './route-event.usecase';

/** Incident events in, deliveries out: projection, matching, TLP and redaction. */
@Module({
  imports: [SubscriptionsModule, DeliveriesModule],
  controllers: [IncidentEventsHandler],
  providers: [IncidentProjection, RouteEvent],
})
export class RoutingModule {}
