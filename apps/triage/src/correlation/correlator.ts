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

/** An incident found sharing an observable. */
export interface Related {
  incident_id: string;
  type: Observable['type'];
  value: string;
}

const MAX_SHARED = 100;

/**
 * Takes the transaction locks of `observables` in one round trip, in hash order in every
 * transaction, so they cannot deadlock on each other; a batch takes all its incidents' at once.
 */
export async function lockObservables(manager: EntityManager, observables: readonly Observable[]): Promise<void> {
  if (observables.length === 0) return;
  const keys = [...new Set(observables.map((o) => `observable:${o.type}:${o.value}`))];
  await manager.query(
    `SELECT count(pg_advisory_xact_lock(h)) FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS ordered`,
    [keys],
  );
}

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
    await lockObservables(manager, observables);
    const types = observables.map((o) => o.type);
    const values = observables.map((o) => o.value);
    const window = this.config.TRIAGE_CORRELATION_WINDOW_SECONDS;
    // An exercise incident relates only to incidents of the same exercise, a real one only to real ones.
    const exercise = exerciseOf(incident) ?? null;
    // Index and look up in one round trip; the lookup does not see this statement's own rows (nor need to).
    const related: Related[] = await manager.query(
      `WITH mine AS (SELECT DISTINCT t, v FROM unnest($2::text[], $3::text[]) AS o(t, v)),
       indexed AS (
         INSERT INTO incident_observable (incident_id, type, value, reported_at, exercise) SELECT $1, t, v, $4, $6 FROM mine ON CONFLICT DO NOTHING
       )
       SELECT o.incident_id, o.type, o.value FROM incident_observable o JOIN mine ON o.type = mine.t AND o.value = mine.v
        WHERE o.incident_id <> $1 AND o.reported_at BETWEEN $4::timestamptz - make_interval(secs => $5) AND $4::timestamptz + make_interval(secs => $5)
          AND o.exercise IS NOT DISTINCT FROM $6::text`,
      [incident.id, types, values, incident.receivedAt, window, exercise],
    );
    return this.link(manager, incident, related, correlationId);
  }

  /**
   * {@link correlate}'s first half for a batch of new incidents (stored, in the order they are
   * triaged; their observables locked by the caller): indexes every incident's observables
   * in one statement and returns, for each, the related incidents it would have found had
   * they been indexed one after the other: those stored before, and those earlier in the
   * batch. Keyed by incident id in lower case. Pass each list to {@link link} in the same order.
   */
  async indexAll(manager: EntityManager, batch: ReadonlyArray<{ incident: TriageIncident; observables: readonly Observable[] }>): Promise<Map<string, Related[]>> {
    const rows = batch.flatMap(({ incident, observables }) => {
      const distinct = new Map(observables.map((o) => [`${o.type}:${o.value}`, o] as const));
      return [...distinct.values()].map((o) => ({ incident, type: o.type, value: o.value, exercise: exerciseOf(incident) ?? null }));
    });
    // Keyed by the id in lower case, as Postgres returns uuids.
    const related = new Map<string, Related[]>(batch.map(({ incident }) => [incident.id.toLowerCase(), []]));
    if (rows.length === 0) return related;
    const window = this.config.TRIAGE_CORRELATION_WINDOW_SECONDS;
    const stored: Array<Related & { mine: string }> = await manager.query(
      `WITH mine AS (SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[]) AS m(id, t, v, at, exercise)),
       indexed AS (
         INSERT INTO incident_observable (incident_id, type, value, reported_at, exercise) SELECT id, t, v, at, exercise FROM mine ON CONFLICT DO NOTHING
       )
       SELECT mine.id AS mine, o.incident_id, o.type, o.value FROM incident_observable o JOIN mine ON o.type = mine.t AND o.value = mine.v
        WHERE o.incident_id <> mine.id AND o.reported_at BETWEEN mine.at - make_interval(secs => $6) AND mine.at + make_interval(secs => $6)
          AND o.exercise IS NOT DISTINCT FROM mine.exercise`,
      [rows.map((r) => r.incident.id), rows.map((r) => r.type), rows.map((r) => r.value), rows.map((r) => r.incident.receivedAt), rows.map((r) => r.exercise), window],
    );
    for (const { mine, incident_id, type, value } of stored) related.get(mine)?.push({ incident_id, type, value });
    // The statement's own rows are invisible to its lookup: what the batch shares within itself is matched here.
    const earlier = new Map<string, Array<{ id: string; at: number; exercise: string | null }>>();
    for (const { incident, type, value, exercise } of rows) {
      const key = `${type}\u0000${value}`;
      const at = incident.receivedAt.getTime();
      const seen = earlier.get(key) ?? [];
      for (const other of seen) {
        if (other.id !== incident.id && other.exercise === exercise && Math.abs(at - other.at) <= window * 1000) {
          related.get(incident.id.toLowerCase())?.push({ incident_id: other.id, type, value });
        }
      }
      seen.push({ id: incident.id, at, exercise });
      earlier.set(key, seen);
    }
    return related;
  }

  /**
   * {@link correlate}'s second half: links `incident` with the `related` incidents its
   * observables found. Undefined when its cluster did not change.
   */
  async link(manager: EntityManager, incident: TriageIncident, related: readonly Related[], correlationId: string): Promise<Correlation | undefined> {
    if (related.length === 0) return undefined;
    const exercise = exerciseOf(incident) ?? null;

    const linked = [...new Set([incident.id, ...related.map((r) => r.incident_id)])];
    const clusters: ClusterRow[] = await manager.query(
      `SELECT id, version, campaign, tlp, jurisdictions, shared_observables, created_at FROM cluster
        WHERE id IN (SELECT cluster_id FROM incident WHERE id = ANY($1::uuid[]) AND cluster_id IS NOT NULL)
        ORDER BY created_at, id FOR UPDATE`,
      [linked],
    );
    const survivor = clusters[0];
    const absorbed = clusters.slice(1).map((c) => c.id);
    const joined = await this.newMembers(manager, linked, absorbed, survivor?.id);
    if (joined.length === 0) return undefined;

    const now = this.clock.now();
    const clusterId = survivor?.id ?? uuidv7();
    const version = (survivor?.version ?? 0) + 1;
    const jurisdictions = [...new Set([...clusters.flatMap((c) => c.jurisdictions), ...joined.map((m) => m.jurisdiction)])].sort();
    const campaign = jurisdictions.length >= this.config.TRIAGE_CAMPAIGN_MIN_JURISDICTIONS;
    const shared = this.sharedObservables(clusters, related);
    const tlp = [...clusters.map((c) => c.tlp), ...joined.map((m) => m.tlp)].reduce<Tlp>((most, t) => (compareTlp(t, most) > 0 ? t : most), 'clear');
    // Members of a cluster that was a campaign already were raised when they joined; only a new campaign raises them all.
    const toRaise = !campaign ? [] : clusters.every((c) => c.campaign) && survivor ? notRaised(joined) : await this.notYetRaised(manager, clusterId, joined);

    // The cluster written, its new members set, each of them showing it on its timeline (at its current version: joining is the
    // cluster's change), and the members named by the event read, in one round trip. The statement's parts all see the rows as
    // they were before it: the members are the survivor's and those joining.
    const eventId = uuidv7();
    const joinedIds = joined.map((m) => m.id);
    const writeCluster = survivor
      ? `UPDATE cluster SET version = $2, campaign = $3, jurisdictions = $4, shared_observables = $5::jsonb, updated_at = $6, tlp = $7 WHERE id = $1 RETURNING id, $8::text AS exercise`
      : `INSERT INTO cluster (id, version, campaign, jurisdictions, shared_observables, created_at, updated_at, tlp, exercise) VALUES ($1, $2, $3, $4, $5::jsonb, $6, $6, $7, $8) RETURNING id`;
    const memberIds: Array<{ id: string }> = await manager.query(
      `WITH written AS (${writeCluster}),
       joined AS (UPDATE incident SET cluster_id = $1 WHERE id = ANY($9::uuid[]) RETURNING id),
       shown AS (
         INSERT INTO incident_timeline (incident_id, version, type, event_id, by, data, at)
         SELECT m.id, m.version, 'watchfloor.incident.correlated.v1', $11, $12::jsonb, $13::jsonb, $6
           FROM unnest($9::uuid[], $10::int[]) WITH ORDINALITY AS m(id, version, n) ORDER BY m.n)
       SELECT id FROM (
         (SELECT id, received_at FROM incident WHERE cluster_id = $1 ORDER BY received_at DESC, id LIMIT ${BOUNDS.clusterIncidents})
         UNION ALL SELECT id, received_at FROM incident WHERE id = ANY($9::uuid[])) AS members
        ORDER BY received_at DESC, id LIMIT ${BOUNDS.clusterIncidents}`,
      [
        clusterId, version, campaign, jurisdictions, JSON.stringify(shared), now, tlp, exercise,
        joinedIds, joined.map((m) => m.version), eventId,
        JSON.stringify({ kind: 'system', rule: 'correlation' }), JSON.stringify({ clusterId, version, campaign, jurisdictions, sharedObservables: shared }),
      ],
    );
    // Merged clusters live on in the survivor (and in the audit log's correlated events); deleted once no incident refers to them.
    if (absorbed.length > 0) await manager.query(`DELETE FROM cluster WHERE id = ANY($1::uuid[])`, [absorbed]);

    // The contract bounds the list: a larger campaign names its most recent members (GET /v1/clusters/:id has them all).
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
      { id: eventId, source: TRIAGE_SOURCE, subject: clusterId, tlp, jurisdiction: commonJurisdiction(jurisdictions), correlationId, time: now },
    );
    return { clusterId, campaign, toRaise: toRaise.map((m) => ({ ...m, clusterId })), joined: joinedIds, event };
  }

  /**
   * The linked incidents not yet in the survivor, and every member of the absorbed clusters,
   * locked in id order. Two index lookups: one statement with an OR (and an empty array on
   * one side) led the planner to scan every open incident, milliseconds per report once
   * thousands were open.
   */
  private newMembers(manager: EntityManager, linked: string[], absorbed: string[], survivorId: string | undefined): Promise<TriageIncident[]> {
    const linkedOutside = `SELECT id FROM incident WHERE id = ANY($1::uuid[]) AND ($2::uuid IS NULL OR cluster_id IS DISTINCT FROM $2)`;
    const members = absorbed.length === 0 ? linkedOutside : `${linkedOutside} UNION SELECT id FROM incident WHERE cluster_id = ANY($3::uuid[])`;
    return this.incidents.selectForUpdate(manager, `id IN (${members})`, absorbed.length === 0 ? [linked, survivorId ?? null] : [linked, survivorId ?? null, absorbed]);
  }

  /** What the clusters shared, and what this incident shares with its related incidents (first seen first, bounded). */
  private sharedObservables(clusters: ClusterRow[], related: readonly Related[]): Observable[] {
    const seen = new Map<string, Observable>();
    for (const o of [...clusters.flatMap((c) => c.shared_observables), ...related]) {
      const key = `${o.type}:${o.value}`;
      if (!seen.has(key) && seen.size < MAX_SHARED) seen.set(key, { type: o.type, value: o.value });
    }
    return [...seen.values()];
  }

  /** Members of a campaign without the campaign adjustment, locked (those just joined are locked already). */
  private async notYetRaised(manager: EntityManager, clusterId: string, joined: TriageIncident[]): Promise<TriageIncident[]> {
    const others = await this.incidents.selectForUpdate(
      manager,
      `cluster_id = $1 AND NOT (adjustments @> '[{"kind":"campaign"}]'::jsonb) AND NOT (id = ANY($2::uuid[]))`,
      [clusterId, joined.map((m) => m.id)],
    );
    return [...notRaised(joined), ...others];
  }
}

function notRaised(incidents: TriageIncident[]): TriageIncident[] {
  return incidents.filter((m) => !m.adjustments.some((a) => a.kind === 'campaign'));
}
