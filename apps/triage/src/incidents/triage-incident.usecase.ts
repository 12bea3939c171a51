import { Inject, Injectable } from '@nestjs/common';
import { Outbox } from '@watchfloor/messaging';
import type { EventOf } from '@watchfloor/contracts';
import { Clock } from '@watchfloor/persistence';
import { clustersCorrelated, incidentsTriaged } from './triage.metrics';
import type { EntityManager } from 'typeorm';
import { Correlator, type Correlation, type Related } from '../correlation/correlator';
import { OnCallRoster } from '../oncall/oncall-roster';
import { Scorer } from '../scoring/scorer';
import type { ScoreResult } from '../scoring/score';
import { ApplyScore } from './apply-score';
import { ApplyIncidentUpdate } from './apply-update.usecase';
import { CampaignRaise } from './campaign-raise';
import { IncidentChanges, type IncidentChange, type IncidentEventType } from './incident-changes';
import { draftIncident } from './draft-incident';
import { exerciseOf, type TriageIncident } from './incident.record';
import { IncidentRepository } from './incident.repository';

type Reported = EventOf<'watchfloor.incident.reported.v1'>;
type Updated = EventOf<'watchfloor.incident.updated.v1'>;

/** A report of a batch, with the span its effects belong to. */
export interface ReportInBatch {
  event: Reported;
  /** Runs `work` in the report's message span (its events continue the report's trace). */
  within<T>(work: () => T): T;
}

/** A report stored as a draft (version 0), with its first score. */
interface Drafted extends ReportInBatch {
  draft: TriageIncident;
  first: ScoreResult & { phase: TriageIncident['phase'] };
  now: Date;
}

/**
 * Newly reported incidents, in the handler's transaction: each stored, correlated, scored
 * (with the campaign raise when it joins a campaign), announced as `incident.triaged`
 * (version 1), given to whoever is on call (`incident.assigned`), and every other member
 * of a campaign it completes raised a level.
 *
 * A batch has the effects its reports would have one after the other, in its order, with
 * statements shared: one for the locks, one to take parked updates, one to store the drafts,
 * one to index and look up observables, and one to triage each run of reports that
 * correlate with nothing. A report that correlates is linked and triaged on its own, in its
 * turn (after the runs before it), as the correlation of the next ones may build on it.
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

  async executeAll(manager: EntityManager, batch: readonly ReportInBatch[]): Promise<void> {
    // The same report under two event ids: the first has the effect, as it would alone (the inbox drops a repeated event id).
    const seen = new Set<string>();
    const reports = batch.filter(({ event }) => !seen.has(idOf(event)) && Boolean(seen.add(idOf(event))));
    const ids = reports.map(({ event }) => idOf(event));
    // Taken by the updates' handler too: an update is either parked before this looks for parked updates or applied after this commits.
    await this.incidents.lockArrivals(manager, ids, reports.flatMap(({ event }) => event.data.submission.observables));
    const parked = await this.applyUpdate.takeParked(manager, ids);
    // Updates that overtook their report may add observables the next reports would find: then one after the other.
    if (parked.size > 0) {
      for (const report of reports) await report.within(() => this.triageAlone(manager, report, parked.get(idOf(report.event)) ?? []));
      return;
    }

    const drafted = reports.map((report) => this.draft(report));
    const stored = await this.incidents.insertNewAll(manager, drafted.map(({ draft, event }) => ({ incident: draft, first: this.firstEntry(event, draft) })));
    // The same report under another event id (a replay that re-created the event) is dropped: the incident row exists.
    const inserted = drafted.filter(({ draft }) => stored.has(draft.id.toLowerCase()));
    const related = await this.correlator.indexAll(manager, inserted.map(({ draft, event }) => ({ incident: draft, observables: event.data.submission.observables })));

    let run: Array<{ incident: TriageIncident; changes: Array<IncidentChange<IncidentEventType>>; within: ReportInBatch['within'] }> = [];
    const flush = async () => {
      if (run.length === 0) return;
      const triaged = await this.changes.applyAllMany(manager, run);
      for (const { incident } of triaged) this.count(incident);
      run = [];
    };
    for (const report of inserted) {
      const links = related.get(report.draft.id.toLowerCase()) ?? [];
      if (links.length === 0) {
        run.push({ incident: report.draft, changes: await this.triageChanges(manager, report, undefined), within: report.within });
        continue;
      }
      // Its correlation reads and changes earlier reports' rows: those before it are triaged first.
      await flush();
      await report.within(() => this.correlateAndTriage(manager, report, links));
    }
    await flush();
  }

  /** One report on its own: stored, indexed and looked up, triaged, then the updates that overtook it. */
  private async triageAlone(manager: EntityManager, report: ReportInBatch, parked: readonly Updated[]): Promise<void> {
    const drafted = this.draft(report);
    const stored = await this.incidents.insertNew(manager, drafted.draft, this.firstEntry(report.event, drafted.draft));
    if (!stored) return;
    const related = await this.correlator.indexAll(manager, [{ incident: drafted.draft, observables: report.event.data.submission.observables }]);
    await this.correlateAndTriage(manager, drafted, related.get(drafted.draft.id.toLowerCase()) ?? []);
    // Updates that overtook this report, now that there is an incident to update.
    await this.applyUpdate.applyParked(manager, drafted.draft.id, parked);
  }

  private draft(report: ReportInBatch): Drafted {
    const { data } = report.event;
    const now = this.clock.now();
    const first = this.scorer.score(data.submission, { receivedAt: new Date(data.receivedAt), campaign: false });
    return { ...report, draft: draftIncident(data, first, now), first, now };
  }

  private firstEntry(event: Reported, draft: TriageIncident) {
    const { data } = event;
    return {
      incidentId: draft.id,
      version: 0,
      type: event.type,
      eventId: event.id,
      by: { kind: 'submitter' as const, ...data.submittedBy },
      data: { reference: data.reference, receivedAt: data.receivedAt },
      at: new Date(data.receivedAt),
    };
  }

  /** A stored draft linked with the incidents it relates to, then triaged (with the campaign raise when it makes one). */
  private async correlateAndTriage(manager: EntityManager, report: Drafted, related: readonly Related[]): Promise<void> {
    const { draft, event } = report;
    const correlation = await this.correlator.link(manager, draft, related, event.correlationid);
    const { incident } = await this.changes.applyAll(manager, draft, await this.triageChanges(manager, report, correlation));
    if (correlation) {
      await this.outbox.add(manager, correlation.event);
      await this.campaignRaise.execute(manager, correlation, { except: incident.id, correlationId: event.correlationid, at: report.now });
    }
    this.count(incident, correlation);
  }

  /** The changes that triage a new incident: its score and, when someone is on call, its assignee (one statement). */
  private async triageChanges(manager: EntityManager, report: Drafted, correlation: Correlation | undefined): Promise<Array<IncidentChange<IncidentEventType>>> {
    const { draft, first, now, event } = report;
    const correlationId = event.correlationid;
    const campaign = correlation?.campaign ?? false;
    const scored = campaign ? this.scorer.score(draft.submission, { receivedAt: draft.receivedAt, campaign }) : first;
    const triaged = this.applyScore.triage(draft, scored, { correlationId, at: now, set: correlation ? { clusterId: correlation.clusterId } : {} });
    // Assigned in the same transaction (and statement) as the triage: nobody sees it unowned.
    // An exercise incident goes to its exercise's rotation only (none set: it stays unassigned).
    const assignee = await this.roster.assigneeFor(now, manager, exerciseOf(draft));
    const assigned: IncidentChange<'watchfloor.incident.assigned.v1'> | undefined = assignee
      ? { type: 'watchfloor.incident.assigned.v1', data: { assignee, by: { kind: 'system', rule: 'oncall_rotation' } }, set: { assignee }, correlationId, at: now }
      : undefined;
    return assigned ? [triaged, assigned] : [triaged];
  }

  /** Exercises stay out of the statistics. */
  private count(incident: TriageIncident, correlation?: Correlation): void {
    if (exerciseOf(incident) !== undefined) return;
    incidentsTriaged.inc({ priority: incident.priority });
    if (correlation) clustersCorrelated.inc({ campaign: String(correlation.campaign) });
  }
}

function idOf(event: Reported): string {
  return event.data.incidentId.toLowerCase();
}
