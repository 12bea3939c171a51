import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { ReadQueue } from '../queue/read-queue.usecase';
import { ScoringModule } from '../scoring/scoring.module';
import { AcknowledgeIncident } from './acknowledge.usecase';
import { AddNote } from './add-note.usecase';
import { AssignIncident } from './assign.usecase';
import { ChangeStatus } from './change-status.usecase';
import { IncidentMutation } from './incident-mutation';
import { IncidentsController } from './incidents.controller';
import { OverridePriority } from './override-priority.usecase';
import { QueueController } from './queue.controller';
import { ReadIncident } from './read-incident.usecase';

/** The staff API of API.md: queue, incident detail and every lifecycle action. */
@Module({
  imports: [IncidentsModule, ClustersModule, ScoringModule],
  controllers: [IncidentsController, QueueController],
  providers: [IncidentMutation, ReadIncident, ReadQueue, AcknowledgeIncident, AssignIncident, ChangeStatus, OverridePriority, AddNote],
})
export class LifecycleModule {}
