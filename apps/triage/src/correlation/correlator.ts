import { Inject, Injectable } from '@nestjs/common';
import { BOUNDS, compareTlp, createEvent, type EventOf, type Observable, type Tlp } from '@watchfloor/contracts';
import { CONFIG } from '@watchfloor/platform';
import { Clock } from '@watchfloor/persistence';
import type { EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import type { TriageEnv } from '../config';
import { TRIAGE_SOURCE } from '../incidents/incident-changes';
import { IncidentRepository } from '../incidents/incident.repository';
import { exerciseOf, type TriageIncident } from '../incidents/incident.record';
import { commonJurisdiction } from './common-jurisdiction';

/** What correlating an incident did to its cluster. */
export interface Correlation {
  clusterId: string;
  campaign: boolean;
  /** Members to raise for the campaign (not raised yet), locked; the incident itself included when it qualifies. */
  toRaise: TriageIncident[];
  /** Incidents that were not in this cluster before (the incident itself included when new to it). */
  joined: string[];
  event: EventOf<'watchfloor.incident.correlated.v1'>;
}

interface ClusterRow {
  id: string;
  version: number;
  campaign: boolean;
  tlp: Tlp;
  jurisdictions: string[];
  shared_observables: Array<{ type: Observable['type']; value: string }>;
  created_at: Date;
}

const MAX_SHARED = 100;

/**
 * Correlation (DOMAIN.md): incidents sharing a normalised observable within the window form
 * a cluster; clusters an incident links are merged into the oldest; 3+ distinct
 * jurisdictions make it a campaign. Runs in the caller's transaction. Advisory locks on the
 * observables serialise concurrent incidents sharing one, so two reports arriving together
 * still find each other; rows are then locked clusters first, incidents in id order. Work
 * is proportional to what joins, not to the cluster's size (jurisdictions and shared
 * observables are kept on the cluster row).
 */
@Injectable()
export class Correlator {
  constructor(
    @Inject(CONFIG) private readonly config: TriageEnv,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /**
   * Indexes `observables` of `incident` (already stored) and links it with related
   * incidents. Undefined when its cluster did not change.
   */
  async correlate(manager: EntityManager, incident: TriageIncident, observables: readonly Observable[], correlationId: string): Promise<Correlation | undefined> {
    if (observables.length === 0) return undefined;
    // One round trip; taken in hash order by every transaction, so they cannot deadlock on each other.
    const keys = [...new Set(observables.map((o) => `observable:${o.type}:${o.value}`))];
    await manager.query(
      `SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS ordered`,
      [keys],
    );
    const types = observables.map((o) => o.type);
    const values = observables.map((o) => o.value);
    const window = this.config.TRIAGE_CORRELATION_WINDOW_SECONDS;
    // An exercise incident relates only to incidents of the same exercise, a real one only to real ones.
    const exercise = exerciseOf(incident) ?? null;
    // Index and look up in one round trip; the lookup does not see this statement's own rows (nor need to).
    const related: Array<{ incident_id: string; type: Observable['type']; value: string }> = await manager.query(
      `WITH mine AS (SELECT DISTINCT t, v FROM unnest($2::text[], $3::text[]) AS o(t, v)),
       indexed AS (
         INSERT INTO incident_observable (incident_id, type, value, reported_at, exercise) SELECT $1, t, v, $4, $6 FROM mine ON CONFLICT DO NOTHING
       )
       SELECT o.incident_id, o.type, o.value FROM incident_observable o JOIN mine ON o.type = mine.t AND o.value = mine.v
        WHERE o.incident_id <> $1 AND o.reported_at BETWEEN $4::timestamptz - make_interval(secs => $5) AND $4::timestamptz + make_interval(secs => $5)
          AND o.exercise IS NOT DISTINCT FROM $6::text`,
      [incident.id, types, values, incident.receivedAt, window, exercise],
    );
    if (related.length === 0) return undefined;

    const linked = [...new Set([incident.id, ...related.map((r) => r.incident_id)])];
    const clusters: ClusterRow[] = await manager.query(
      `SELECT id, version, campaign, tlp, jurisdictions, shared_observables, created_at FROM cluster
        WHERE id IN (SELECT cluster_id FROM incident WHERE id = ANY($1::uuid[]) AND cluster_id IS NOT NULL)
        ORDER BY created_at, id FOR UPDATE`,
      [linked],
    );
    const survivor = clusters[0];
    const absorbed = clusters.slice(1).map((c) => c.id);
    const joinedIds = await this.newMembers(manager, linked, absorbed, survivor?.id);
    if (joinedIds.length === 0) return undefined;
    const joined = await this.incidents.findManyForUpdate(manager, joinedIds.map((j) => j.id));

    const now = this.clock.now();
    const clusterId = survivor?.id ?? uuidv7();
    const version = (survivor?.version ?? 0) + 1;
    const jurisdictions = [...new Set([...clusters.flatMap((c) => c.jurisdictions), ...joined.map((m) => m.jurisdiction)])].sort();
    const campaign = jurisdictions.length >= this.config.TRIAGE_CAMPAIGN_MIN_JURISDICTIONS;
    const shared = this.sharedObservables(clusters, related);
    const tlp = [...clusters.map((c) => c.tlp), ...joined.map((m) => m.tlp)].reduce<Tlp>((most, t) => (compareTlp(t, most) > 0 ? t : most), 'clear');
    if (survivor) {
      await manager.query(
        `UPDATE cluster SET version = $2, campaign = $3, jurisdictions = $4, shared_observables = $5::jsonb, updated_at = $6, tlp = $7 WHERE id = $1`,
        [clusterId, version, campaign, jurisdictions, JSON.stringify(shared), now, tlp],
      );
    } else {
      await manager.query(
        `INSERT INTO cluster (id, version, campaign, jurisdictions, shared_observables, created_at, updated_at, tlp, exercise) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $6, $7, $8)`,
        [clusterId, version, campaign, jurisdictions, JSON.stringify(shared), now, tlp, exercise],
      );
    }
    await manager.query(`UPDATE incident SET cluster_id = $1 WHERE id = ANY($2::uuid[])`, [clusterId, joined.map((m) => m.id)]);
    // Merged clusters live on in the survivor (and in the audit log's correlated events).
    if (absorbed.length > 0) await manager.query(`DELETE FROM cluster WHERE id = ANY($1::uuid[])`, [absorbed]);

    // Members of a cluster that was a campaign already were raised when they joined; only a new campaign raises them all.
    const toRaise = !campaign ? [] : clusters.every((c) => c.campaign) && survivor ? notRaised(joined) : await this.notYetRaised(manager, clusterId, joined);
    // The contract bounds the list: a larger campaign names its most recent members (GET /v1/clusters/:id has them all).
    const memberIds: Array<{ id: string }> = await manager.query(
      `SELECT id FROM incident WHERE cluster_id = $1 ORDER BY received_at DESC, id LIMIT ${BOUNDS.clusterIncidents}`,
      [clusterId],
    );
    const event = createEvent(
      'watchfloor.incident.correlated.v1',
      {
        clusterId,
        version,
        incidentIds: memberIds.map((m) => m.id),
        jurisdictions: jurisdictions.slice(0, BOUNDS.clusterIncidents),
        sharedObservables: shared,
        campaign,
        ...(exercise === null ? {} : { exercise }),
      },
      { source: TRIAGE_SOURCE, subject: clusterId, tlp, jurisdiction: commonJurisdiction(jurisdictions), correlationId, time: now },
    );
    // Each incident that joined shows it on its timeline (at its current version: joining is the cluster's change).
    await manager.query(
      `INSERT INTO incident_timeline (incident_id, version, type, event_id, by, data, at)
       SELECT id, version, $2, $3, $4::jsonb, $5::jsonb, $6 FROM incident WHERE id = ANY($1::uuid[])`,
      [joined.map((m) => m.id), event.type, event.id, JSON.stringify({ kind: 'system', rule: 'correlation' }), JSON.stringify({ clusterId, version, campaign, jurisdictions, sharedObservables: shared }), now],
    );
    return { clusterId, campaign, toRaise: toRaise.map((m) => ({ ...m, clusterId })), joined: joined.map((m) => m.id), event };
  }

  /**
   * The linked incidents not yet in the survivor, and every member of the absorbed clusters.
   * Two index lookups: one statement with an OR (and an empty array on one side) led the
   * planner to scan every open incident, milliseconds per report once thousands were open.
   */
  private newMembers(manager: EntityManager, linked: string[], absorbed: string[], survivorId: string | undefined): Promise<Array<{ id: string }>> {
    const linkedOutside = `SELECT id FROM incident WHERE id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR cluster_id IS DISTINCT FROM $2)`;
    if (absorbed.length === 0) return manager.query(linkedOutside, [linked, survivorId ?? null]);
    return manager.query(`${linkedOutside} UNION SELECT id FROM incident WHERE cluster_id = ANY($3::uuid[])`, [linked, survivorId ?? null, absorbed]);
  }

  /** What the clusters shared, and what this incident shares with its related incidents (first seen first, bounded). */
  private sharedObservables(clusters: ClusterRow[], related: Array<{ type: Observable['type']; value: string }>): Observable[] {
    const seen = new Map<string, Observable>();
    for (const o of [...clusters.flatMap((c) => c.shared_observables), ...related]) {
      const key = `${o.type}:${o.value}`;
      if (!seen.has(key) && seen.size < MAX_SHARED) seen.set(key, { type: o.type, value: o.value });
    }
    return [...seen.values()];
  }

  /** Members of a campaign without the campaign adjustment, locked (those just joined are locked already). */
  private async notYetRaised(manager: EntityManager, clusterId: string, joined: TriageIncident[]): Promise<TriageIncident[]> {
    const joinedIds = new Set(joined.map((m) => m.id));
    const others: Array<{ id: string }> = await manager.query(
      `SELECT id FROM incident WHERE cluster_id = $1 AND NOT (adjustments @> '[{"kind":"campaign"}]'::jsonb) AND NOT (id = ANY($2::uuid[]))`,
      [clusterId, [...joinedIds]],
    );
    const lockedOthers = await this.incidents.findManyForUpdate(manager, others.map((o) => o.id));
    return [...notRaised(joined), ...lockedOthers];
  }
}

function notRaised(incidents: TriageIncident[]): TriageIncident[] {
  return incidents.filter((m) => !m.adjustments.some((a) => a.kind === 'campaign'));
}
