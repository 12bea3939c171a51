import { Module } from '@nestjs/common';
import { AddIncidentUpdate } from './add-update.usecase';
import { IncidentRepository } from './incident.repository';
import { IncidentStore } from './incident.store';
import { IncidentsController } from './incidents.controller';
import { ReadIncidents } from './read-incidents.usecase';
import { ResubmitIncident } from './resubmit-incident.usecase';
import { SubmitIncident } from './submit-incident.usecase';

/** Submissions, their updates and what submitters can read of them. */
@Module({
  controllers: [IncidentsController],
  providers: [IncidentRepository, IncidentStore, SubmitIncident, ResubmitIncident, ReadIncidents, AddIncidentUpdate],
})
export class IncidentsModule {}
