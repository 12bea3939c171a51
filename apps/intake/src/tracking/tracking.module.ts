import { Module } from '@nestjs/common';
import { TrackIncident } from './track-incident.usecase';
import { TriageEventsHandler } from './triage-events.handler';

/** Intake's projection of triage's progress, for the submitter. */
@Module({ controllers: [TriageEventsHandler], providers: [TrackIncident] })
export class TrackingModule {}
