import { Inject, Injectable } from '@nestjs/common';
import { Outbox } from '@watchfloor/messaging';
import { TLP_LEVELS, type EventOf } from '@watchfloor/contracts';
import { Clock } from '@watchfloor/persistence';
import { clustersCorrelated } from './triage.metrics';
import type { EntityManager } from 'typeorm';
import { Correlator } from '../correlation/correlator';
import { Scorer } from '../scoring/scorer';
import { ApplyScore } from './apply-score';
import { CampaignRaise } from './campaign-raise';
import { exerciseOf, type TriageIncident } from './incident.record';
import { IncidentRepository } from './incident.repository';
import { mergeUpdate } from './merge-update';
import { TimelineRepository } from './timeline.repository';

type Updated = EventOf<'watchfloor.incident.updated.v1'>;

/**
 * New information from the submitter: merged into triage's copy, its new observables
 * correlated, and the incident re-scored (`incident.triaged`, with the new breakdown) when
 * an input of the score changed or it joined a campaign.
 */
@Injectable()
export class ApplyIncidentUpdate {
  constructor(
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(TimelineRepository) private readonly timeline: TimelineRepository,
    @Inject(Scorer) private readonly scorer: Scorer,
    @Inject(Correlator) private readonly correlator: Correlator,
    @Inject(ApplyScore) private readonly applyScore: ApplyScore,
    @Inject(CampaignRaise) private readonly campaignRaise: CampaignRaise,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(manager: EntityManager, event: Updated): Promise<void> {
    const { data } = event;
    // The report's handler takes the same lock: the update is either parked before it looks or applied after it commits.
    await this.incidents.lockArrival(manager, data.incidentId);
    const current = await this.incidents.findById(manager, data.incidentId, { lock: true });
    // Separate consumers: an update may overtake its report. It waits for it (applied by TriageNewIncident).
    if (!current) {
      await manager.query(
        `INSERT INTO pending_update (event_id, incident_id, source_version, event, parked_at) VALUES ($1, $2, $3, $4::jsonb, now()) ON CONFLICT DO NOTHING`,
        [event.id, data.incidentId, data.version, JSON.stringify(event)],
      );
      return;
    }
    await this.applyTo(manager, current, event);
  }

  /**
   * Takes (deletes and returns) the updates parked for the reports of `incidentIds` not
   * stored yet, by incident (in lower case), oldest version first. The caller holds their
   * arrival locks, so no update of theirs can be parked meanwhile.
   */
  async takeParked(manager: EntityManager, incidentIds: readonly string[]): Promise<Map<string, Updated[]>> {
    // TypeORM answers a DELETE on Postgres with [rows, affected].
    const [parked]: [Array<{ event: Updated }>, number] = await manager.query(
      `DELETE FROM pending_update p WHERE p.incident_id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM incident i WHERE i.id = p.incident_id)
       RETURNING event, source_version`,
      [incidentIds],
    );
    const byIncident = new Map<string, Updated[]>();
    for (const { event } of parked.sort((a, b) => a.event.data.version - b.event.data.version)) {
      const id = event.data.incidentId.toLowerCase();
      byIncident.set(id, [...(byIncident.get(id) ?? []), event]);
    }
    return byIncident;
  }

  /** Applies updates that arrived before the report of `incidentId` (from {@link takeParked}), in order. */
  async applyParked(manager: EntityManager, incidentId: string, parked: readonly Updated[]): Promise<void> {
    for (const event of parked) {
      const current = await this.incidents.findById(manager, incidentId, { lock: true });
      if (current) await this.applyTo(manager, current, event);
    }
  }

  /** Merges `event` into the incident as locked and read in this transaction. */
  private async applyTo(manager: EntityManager, current: TriageIncident, event: Updated): Promise<void> {
    const { data } = event;
    const now = this.clock.now();
    const correlationId = event.correlationid;
    const merged = mergeUpdate(current.submission, current.fieldVersions, data);
    await this.timeline.add(manager, {
      incidentId: current.id,
      version: current.version,
      type: event.type,
      eventId: event.id,
      by: { kind: 'submitter', ...data.submittedBy },
      data: { updateId: data.updateId, origin: data.origin, ...(data.note ? { note: data.note } : {}), sourceVersion: data.version },
      at: new Date(data.receivedAt),
    });
    if (!merged.changed) return;

    const stored = { ...current, submission: merged.submission };
    const correlation = await this.correlator.correlate(manager, stored, merged.newObservables, correlationId);
    const wasCampaign = current.adjustments.some((a) => a.kind === 'campaign');
    const campaign = wasCampaign || (correlation?.campaign ?? false);
    const set = {
      submission: merged.submission,
      fieldVersions: merged.fieldVersions,
      sourceVersion: Math.max(current.sourceVersion, data.version),
      title: merged.submission.title,
      category: merged.submission.category,
      tlp: merged.submission.tlp,
      ...(correlation ? { clusterId: correlation.clusterId } : {}),
    };
    if (merged.inputsChanged || campaign !== wasCampaign) {
      const scored = this.scorer.score(merged.submission, { receivedAt: current.receivedAt, campaign });
      await this.applyScore.execute(manager, current, scored, { cause: merged.inputsChanged ? 'update' : 'campaign', correlationId, at: now, set });
    } else {
      await this.incidents.store(manager, current.id, set);
    }
    if (current.clusterId && merged.submission.tlp !== current.tlp) {
      // A cluster's events carry its strictest TLP: a member made stricter makes it stricter.
      await manager.query(
        `UPDATE cluster SET tlp = $2 WHERE id = $1 AND array_position($3::text[], tlp) < array_position($3::text[], $2)`,
        [current.clusterId, merged.submission.tlp, [...TLP_LEVELS]],
      );
    }
    if (correlation) {
      if (exerciseOf(current) === undefined) clustersCorrelated.inc({ campaign: String(correlation.campaign) });
      await this.outbox.add(manager, correlation.event);
      await this.campaignRaise.execute(manager, correlation, { except: current.id, correlationId, at: now });
    }
  }
}
