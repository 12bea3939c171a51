import { Inject, Injectable } from '@nestjs/common';
import { compareTlp, createEvent, type EventOf, type Observable, type Tlp } from '@watchfloor/contracts';
import { CONFIG } from '@watchfloor/platform';
import type { EntityManager } from 'typeorm';
import { uuidv7 } from 'uuidv7';
import type { TriageEnv } from '../config';
import { TRIAGE_SOURCE } from '../incidents/incident-changes';
import { IncidentRepository } from '../incidents/incident.repository';
import type { TriageIncident } from '../incidents/incident.record';
import { commonJurisdiction } from './common-jurisdiction';

/** What correlating an incident did to its cluster. */
export interface Correlation {
  clusterId: string;
  campaign: boolean;
  /** Every member after the change, the incident itself included. */
  members: TriageIncident[];
  /** Members that were not in this cluster before (the incident itself included when new to it). */
  joined: string[];
  event: EventOf<'watchfloor.incident.correlated.v1'>;
}

interface ClusterRow {
  id: string;
  version: number;
  campaign: boolean;
  created_at: Date;
}

const MAX_SHARED = 100;

/**
 * Correlation (DOMAIN.md): incidents sharing a normalised observable within the window form
 * a cluster; clusters an incident links are merged into the oldest; 3+ distinct
 * jurisdictions make it a campaign. Runs in the caller's transaction. Advisory locks on the
 * observables serialise concurrent incidents sharing one, so two reports arriving together
 * still find each other; rows are then locked clusters first, incidents in id order.
 */
@Injectable()
export class Correlator {
  constructor(
    @Inject(CONFIG) private readonly config: TriageEnv,
    @Inject(IncidentRepository) private readonly incidents: IncidentRepository,
  ) {}

  /**
   * Indexes `observables` of `incident` (already stored) and links it with related
   * incidents. Undefined when its cluster did not change.
   */
  async correlate(manager: EntityManager, incident: TriageIncident, observables: readonly Observable[], correlationId: string): Promise<Correlation | undefined> {
    if (observables.length === 0) return undefined;
    const keys = [...new Set(observables.map((o) => `${o.type}:${o.value}`))].sort();
    for (const key of keys) await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`observable:${key}`]);
    const types = observables.map((o) => o.type);
    const values = observables.map((o) => o.value);
    await manager.query(
      `INSERT INTO incident_observable (incident_id, type, value, reported_at)
       SELECT $1, t, v, $4 FROM unnest($2::text[], $3::text[]) AS o(t, v) ON CONFLICT DO NOTHING`,
      [incident.id, types, values, incident.receivedAt],
    );
    const window = this.config.TRIAGE_CORRELATION_WINDOW_SECONDS;
    const related: Array<{ incident_id: string }> = await manager.query(
      `SELECT DISTINCT o.incident_id FROM incident_observable o
        JOIN unnest($2::text[], $3::text[]) AS mine(t, v) ON o.type = mine.t AND o.value = mine.v
        WHERE o.incident_id <> $1 AND o.reported_at BETWEEN $4::timestamptz - make_interval(secs => $5) AND $4::timestamptz + make_interval(secs => $5)`,
      [incident.id, types, values, incident.receivedAt, window],
    );
    if (related.length === 0) return undefined;

    const linked = [incident.id, ...related.map((r) => r.incident_id)];
    const clusters: ClusterRow[] = await manager.query(
      `SELECT id, version, campaign, created_at FROM cluster
        WHERE id IN (SELECT cluster_id FROM incident WHERE id = ANY($1::uuid[]) AND cluster_id IS NOT NULL)
        ORDER BY created_at, id FOR UPDATE`,
      [linked],
    );
    const survivor = clusters[0];
    const clusterIds = clusters.map((c) => c.id);
    const memberIds: Array<{ id: string }> = await manager.query(
      `SELECT id FROM incident WHERE id = ANY($1::uuid[]) OR cluster_id = ANY($2::uuid[])`,
      [linked, clusterIds],
    );
    const locked = await this.incidents.findManyForUpdate(manager, memberIds.map((m) => m.id));
    const joined = locked.filter((m) => !survivor || m.clusterId !== survivor.id).map((m) => m.id);
    if (joined.length === 0) return undefined;

    const now = new Date();
    const clusterId = survivor?.id ?? uuidv7();
    const version = (survivor?.version ?? 0) + 1;
    const jurisdictions = [...new Set(locked.map((m) => m.jurisdiction))].sort();
    const campaign = jurisdictions.length >= this.config.TRIAGE_CAMPAIGN_MIN_JURISDICTIONS;
    const shared: Array<{ type: Observable['type']; value: string }> = await manager.query(
      `SELECT type, value FROM incident_observable WHERE incident_id = ANY($1::uuid[])
        GROUP BY type, value HAVING count(*) >= 2 ORDER BY min(reported_at), type, value LIMIT ${MAX_SHARED}`,
      [locked.map((m) => m.id)],
    );
    if (survivor) {
      await manager.query(
        `UPDATE cluster SET version = $2, campaign = $3, jurisdictions = $4, shared_observables = $5::jsonb, updated_at = $6 WHERE id = $1`,
        [clusterId, version, campaign, jurisdictions, JSON.stringify(shared), now],
      );
    } else {
      await manager.query(
        `INSERT INTO cluster (id, version, campaign, jurisdictions, shared_observables, created_at, updated_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $6)`,
        [clusterId, version, campaign, jurisdictions, JSON.stringify(shared), now],
      );
    }
    await manager.query(`UPDATE incident SET cluster_id = $1 WHERE id = ANY($2::uuid[])`, [clusterId, joined]);
    const absorbed = clusterIds.filter((id) => id !== clusterId);
    // Merged clusters live on in the survivor (and in the audit log's correlated events).
    if (absorbed.length > 0) await manager.query(`DELETE FROM cluster WHERE id = ANY($1::uuid[])`, [absorbed]);

    const members = locked.map((m) => ({ ...m, clusterId }));
    const tlp = members.map((m) => m.tlp).reduce<Tlp>((most, t) => (compareTlp(t, most) > 0 ? t : most), 'clear');
    const event = createEvent(
      'watchfloor.incident.correlated.v1',
      {
        clusterId,
        version,
        incidentIds: members.map((m) => m.id),
        jurisdictions,
        sharedObservables: shared.map((o) => ({ type: o.type, value: o.value })),
        campaign,
      },
      { source: TRIAGE_SOURCE, subject: clusterId, tlp, jurisdiction: commonJurisdiction(jurisdictions), correlationId, time: now },
    );
    return { clusterId, campaign, members, joined, event };
  }
}
