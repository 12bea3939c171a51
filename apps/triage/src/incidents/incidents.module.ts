import { Module } from '@nestjs/common';
import { IncidentChanges } from './incident-changes';
import { IncidentRepository } from './incident.repository';
import { RelayKickOnCommit } from './relay-kick';
import { TimelineRepository } from './timeline.repository';

/**
 * Triage's incidents: the record, the timeline and {@link IncidentChanges}, the one way a
 * feature changes an incident and emits its event in the same transaction. Other feature
 * modules (escalation, on-call) import this module.
 */
@Module({
  providers: [IncidentRepository, TimelineRepository, IncidentChanges, RelayKickOnCommit],
  exports: [IncidentRepository, TimelineRepository, IncidentChanges],
})
export class IncidentsModule {}
