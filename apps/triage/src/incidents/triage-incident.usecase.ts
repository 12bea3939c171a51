import { Inject, Injectable } from '@nestjs/common';
import { Outbox } from '@watchfloor/messaging';
import type { EventOf } from '@watchfloor/contracts';
import { Clock } from '@watchfloor/persistence';
import { clustersCorrelated, incidentsTriaged } from './triage.metrics';
import type { EntityManager } from 'typeorm';
import { Correlator } from '../correlation/correlator';
import { OnCallRoster } from '../oncall/oncall-roster';
import { Scorer } from '../scoring/scorer';
import { ApplyScore } from './apply-score';
import { ApplyIncidentUpdate } from './apply-update.usecase';
import { CampaignRaise } from './campaign-raise';
import { IncidentChanges, type IncidentChange } from './incident-changes';
import { draftIncident } from './draft-incident';
import { exerciseOf } from './incident.record';
import { IncidentRepository } from './incident.repository';

type Reported = EventOf<'watchfloor.incident.reported.v1'>;

/**
 * A newly reported incident, in the handler's transaction: stored, correlated, scored
 * (with the campaign raise when it joins a campaign), announced as `incident.triaged`
 * (version 1), given to whoever is on call (`incident.assigned`), and every other member
 * of a campaign it completes raised a level.
 */
@Injectable()
export class TriageNewIncident {
  constructor(
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(IncidentChanges) private readonly changes: IncidentChanges,
    @Inject(Scorer) private readonly scorer: Scorer,
    @Inject(Correlator) private readonly correlator: Correlator,
    @Inject(ApplyScore) private readonly applyScore: ApplyScore,
    @Inject(CampaignRaise) private readonly campaignRaise: CampaignRaise,
    @Inject(OnCallRoster) private readonly roster: OnCallRoster,
    @Inject(ApplyIncidentUpdate) private readonly applyUpdate: ApplyIncidentUpdate,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(manager: EntityManager, event: Reported): Promise<void> {
    const { data } = event;
    await this.incidents.lockArrival(manager, data.incidentId);
    const now = this.clock.now();
    const correlationId = event.correlationid;
    const submission = data.submission;
    const receivedAt = new Date(data.receivedAt);
    const first = this.scorer.score(submission, { receivedAt, campaign: false });
    const draft = draftIncident(data, first, now);
    const stored = await this.incidents.insertNew(manager, draft, {
      incidentId: draft.id,
      version: 0,
      type: event.type,
      eventId: event.id,
      by: { kind: 'submitter', ...data.submittedBy },
      data: { reference: data.reference, receivedAt: data.receivedAt },
      at: receivedAt,
    });
    // The inbox drops a repeated event; this drops the same report under another event id.
    if (!stored) return;

    const correlation = await this.correlator.correlate(manager, draft, submission.observables, correlationId);
    const campaign = correlation?.campaign ?? false;
    const scored = campaign ? this.scorer.score(submission, { receivedAt, campaign }) : first;
    const triaged = this.applyScore.triage(draft, scored, { correlationId, at: now, set: correlation ? { clusterId: correlation.clusterId } : {} });
    // Assigned in the same transaction (and statement) as the triage: nobody sees it unowned.
    // An exercise incident goes to its exercise's rotation only (none set: it stays unassigned).
    const assignee = await this.roster.assigneeFor(now, manager, exerciseOf(draft));
    const assigned: IncidentChange<'watchfloor.incident.assigned.v1'> | undefined = assignee
      ? { type: 'watchfloor.incident.assigned.v1', data: { assignee, by: { kind: 'system', rule: 'oncall_rotation' } }, set: { assignee }, correlationId, at: now }
      : undefined;
    const { incident } = await this.changes.applyAll(manager, draft, assigned ? [triaged, assigned] : [triaged]);
    if (correlation) {
      await this.outbox.add(manager, correlation.event);
      await this.campaignRaise.execute(manager, correlation, { except: incident.id, correlationId, at: now });
    }

    // Exercises stay out of the statistics.
    if (exerciseOf(incident) === undefined) {
      incidentsTriaged.inc({ priority: incident.priority });
      if (correlation) clustersCorrelated.inc({ campaign: String(correlation.campaign) });
    }

    // Updates that overtook this report, now that there is an incident to update.
    await this.applyUpdate.applyParked(manager, incident.id);
  }
}
