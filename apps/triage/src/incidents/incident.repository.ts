import { Injectable } from '@nestjs/common';
import { isUuid } from '@watchfloor/contracts';
import type { EntityManager } from 'typeorm';
import type { IncidentPatch, TriageIncident } from './incident.record';
import type { TimelineEntry } from './timeline.repository';

/** Row of `incident` as pg returns it (timestamps as Date, jsonb parsed). */
type IncidentRow = {
  [K in keyof TriageIncident as SnakeCase<K & string>]: TriageIncident[K];
};
type SnakeCase<S extends string> = S extends `${infer Head}${infer Tail}`
  ? `${Head extends Lowercase<Head> ? Head : `_${Lowercase<Head>}`}${SnakeCase<Tail>}`
  : S;

const JSON_COLUMNS = new Set(['override', 'breakdown', 'adjustments', 'submission', 'field_versions', 'submitted_by', 'acknowledged_by']);

/** `computedPriority` -> `computed_priority`. */
export function column(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

function toRecord(row: IncidentRow): TriageIncident {
  return {
    id: row.id,
    reference: row.reference,
    version: row.version,
    status: row.status,
    resolution: row.resolution,
    priority: row.priority,
    computedPriority: row.computed_priority,
    override: row.override,
    score: row.score,
    model: row.model,
    breakdown: row.breakdown,
    adjustments: row.adjustments,
    phase: row.phase,
    submission: row.submission,
    fieldVersions: row.field_versions,
    sourceVersion: row.source_version,
    submittedBy: row.submitted_by,
    assignee: row.assignee,
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
    ackDeadline: row.ack_deadline,
    escalationLevel: row.escalation_level,
    clusterId: row.cluster_id,
    jurisdiction: row.jurisdiction,
    tlp: row.tlp,
    category: row.category,
    title: row.title,
    receivedAt: row.received_at,
    triagedAt: row.triaged_at,
    updatedAt: row.updated_at,
  };
}

function sqlValue(name: string, value: unknown): unknown {
  if (value === undefined) return null;
  return JSON_COLUMNS.has(name) && value !== null ? JSON.stringify(value) : value;
}

/** SQL on `triage.incident` (the connection's search path is the triage schema). */
@Injectable()
export class IncidentRepository {
  /** The incident, locked `FOR UPDATE` when asked (every change locks it first). */
  async findById(manager: EntityManager, id: string, options: { lock?: boolean } = {}): Promise<TriageIncident | undefined> {
    if (!isUuid(id)) return undefined;
    const rows: IncidentRow[] = await manager.query(`SELECT * FROM incident WHERE id = $1${options.lock ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }

  /**
   * Serialises the arrival of an incident's report with its updates (a transaction lock on
   * the incident id, held to commit): an update either sees the incident or is parked
   * before the report's handler looks for parked updates.
   */
  async lockArrival(manager: EntityManager, id: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 1))`, [`incident:${id}`]);
  }

  /** Incidents matching a WHERE clause written by a query object of this app (never by a caller). */
  async select(manager: EntityManager, sql: { where: string; orderBy: string; limit: number; params: unknown[] }): Promise<TriageIncident[]> {
    const rows: IncidentRow[] = await manager.query(
      `SELECT * FROM incident WHERE version > 0 AND (${sql.where}) ORDER BY ${sql.orderBy} LIMIT ${Math.trunc(sql.limit)}`,
      sql.params,
    );
    return rows.map(toRecord);
  }

  /** Several incidents, locked in id order (no deadlock between two transactions locking overlapping sets). */
  async findManyForUpdate(manager: EntityManager, ids: readonly string[]): Promise<TriageIncident[]> {
    if (ids.length === 0) return [];
    const rows: IncidentRow[] = await manager.query(`SELECT * FROM incident WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
    return rows.map(toRecord);
  }

  /** Inserts an incident as it is (tests and tools build rows with it; triage itself uses {@link insertNew}). */
  async insert(manager: EntityManager, incident: TriageIncident): Promise<void> {
    const entries = Object.entries(incident).map(([field, value]) => [column(field), value] as const);
    const placeholders = entries.map(([name], i) => (JSON_COLUMNS.has(name) ? `$${i + 1}::jsonb` : `$${i + 1}`));
    await manager.query(
      `INSERT INTO incident (${entries.map(([name]) => name).join(', ')}) VALUES (${placeholders.join(', ')})`,
      entries.map(([name, value]) => sqlValue(name, value)),
    );
  }

  /**
   * Inserts a new incident with its first timeline entry, in one round trip; false (and
   * nothing written) when the incident exists already (the same report delivered again).
   */
  async insertNew(manager: EntityManager, incident: TriageIncident, first: TimelineEntry): Promise<boolean> {
    const entries = Object.entries(incident).map(([field, value]) => [column(field), value] as const);
    const names = entries.map(([name]) => name);
    const placeholders = entries.map(([name], i) => (JSON_COLUMNS.has(name) ? `$${i + 1}::jsonb` : `$${i + 1}`));
    const n = entries.length;
    const rows: unknown[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO incident (${names.join(', ')}) VALUES (${placeholders.join(', ')}) ON CONFLICT (id) DO NOTHING RETURNING id
       )
       INSERT INTO incident_timeline (incident_id, version, type, event_id, by, data, at)
       SELECT id, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}::jsonb, $${n + 5}::jsonb, $${n + 6} FROM inserted RETURNING incident_id`,
      [
        ...entries.map(([name, value]) => sqlValue(name, value)),
        first.version, first.type, first.eventId, first.by === null ? null : JSON.stringify(first.by), JSON.stringify(first.data), first.at,
      ],
    );
    return rows.length === 1;
  }

  /** Sets `patch` without a new version: stored detail no event announces (e.g. a re-worded title). */
  async store(manager: EntityManager, id: string, patch: IncidentPatch): Promise<void> {
    const entries = Object.entries(patch)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => [column(field), value] as const);
    if (entries.length === 0) return;
    const sets = entries.map(([name], i) => `${name} = $${i + 2}${JSON_COLUMNS.has(name) ? '::jsonb' : ''}`);
    await manager.query(`UPDATE incident SET ${sets.join(', ')} WHERE id = $1`, [id, ...entries.map(([name, value]) => sqlValue(name, value))]);
  }

  /**
   * Sets `patch`, bumps the version by one per timeline entry (by one when there is none)
   * and returns the new row, writing `entries` (each with its own version) in the same round
   * trip. `expectedVersion` guards against a writer that read an older copy (the caller
   * normally holds the row lock).
   */
  async update(
    manager: EntityManager,
    id: string,
    expectedVersion: number,
    patch: IncidentPatch,
    at: Date,
    entries: readonly TimelineEntry[] = [],
  ): Promise<TriageIncident | undefined> {
    const columns = Object.entries(patch)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => [column(field), value] as const);
    const params: unknown[] = [id, expectedVersion, at, Math.max(1, entries.length)];
    const param = (value: unknown, cast = '') => `$${params.push(value)}${cast}`;
    const sets = columns.map(([name, value]) => `${name} = ${param(sqlValue(name, value), JSON_COLUMNS.has(name) ? '::jsonb' : '')}`);
    const update = `UPDATE incident SET ${[...sets, 'version = version + $4', 'updated_at = $3'].join(', ')} WHERE id = $1 AND version = $2 RETURNING *`;
    const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
    const timeline = entries.length
      ? `, recorded AS (INSERT INTO incident_timeline (incident_id, version, type, event_id, by, data, at)
           SELECT updated.id, e.version, e.type, e.event_id, e.by, e.data, e.at FROM updated,
             unnest(${param(entries.map((e) => e.version))}::int[], ${param(entries.map((e) => e.type))}::text[], ${param(entries.map((e) => e.eventId))}::uuid[],
                    ${param(entries.map((e) => json(e.by)))}::jsonb[], ${param(entries.map((e) => json(e.data)))}::jsonb[], ${param(entries.map((e) => e.at))}::timestamptz[])
               WITH ORDINALITY AS e(version, type, event_id, by, data, at, n) ORDER BY e.n)`
      : '';
    const rows: IncidentRow[] = await manager.query(`WITH updated AS (${update})${timeline} SELECT * FROM updated`, params);
    return rows[0] ? toRecord(rows[0]) : undefined;
  }
}
