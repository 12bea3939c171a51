import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { OnCallModule } from '../oncall/oncall.module';
import { EscalateMissedDeadline } from './escalate-missed-deadline.usecase';
import { EscalationScanner } from './escalation-scanner';
import { EscalationRepository } from './escalation.repository';

/** Acknowledgement deadlines chased: `incident.escalated` at each missed deadline until someone acknowledges. */
@Module({
  imports: [IncidentsModule, OnCallModule],
  providers: [EscalationRepository, EscalateMissedDeadline, EscalationScanner],
  exports: [EscalationScanner],
})
export class EscalationModule {}
