import { Module } from '@nestjs/common';
import { Correlator } from '../correlation/correlator';
import { OnCallModule } from '../oncall/oncall.module';
import { ScoringModule } from '../scoring/scoring.module';
import { ApplyScore } from './apply-score';
import { ApplyIncidentUpdate } from './apply-update.usecase';
import { CampaignRaise } from './campaign-raise';
import { IncidentChanges } from './incident-changes';
import { IncidentEventsHandler } from './incident-events.handler';
import { IncidentRepository } from './incident.repository';
import { TimelineRepository } from './timeline.repository';
import { TriageNewIncident } from './triage-incident.usecase';

/**
 * Triage's incidents: intake's events in, scoring and correlation, and
 * {@link IncidentChanges}, the one way a feature changes an incident and emits its event in
 * the same transaction. Other feature modules (escalation) import this module.
 */
@Module({
  imports: [ScoringModule, OnCallModule],
  controllers: [IncidentEventsHandler],
  providers: [
    IncidentRepository,
    TimelineRepository,
    IncidentChanges,
    ApplyScore,
    CampaignRaise,
    Correlator,
    TriageNewIncident,
    ApplyIncidentUpdate,
  ],
  exports: [IncidentRepository, TimelineRepository, IncidentChanges, ApplyScore],
})
export class IncidentsModule {}
