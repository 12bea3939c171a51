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

  /**
   * {@link lockArrival} for a batch of reports, then their observables' locks (as
   * `lockObservables` takes them), in one round trip: the same order as a report alone takes
   * them (arrivals, then observables), each kind in hash order, so batches cannot deadlock
   * on each other.
   */
  async lockArrivals(manager: EntityManager, ids: readonly string[], observables: ReadonlyArray<{ type: string; value: string }>): Promise<void> {
    await manager.query(
      `SELECT count(pg_advisory_xact_lock(h)) FROM (
         SELECT kind, h FROM (
           SELECT DISTINCT 0 AS kind, hashtextextended(k, 1) AS h FROM unnest($1::text[]) AS k
           UNION SELECT DISTINCT 1, hashtextextended(k, 0) FROM unnest($2::text[]) AS k) AS keys
         ORDER BY kind, h) AS ordered`,
      [ids.map((id) => `incident:${id}`), [...new Set(observables.map((o) => `observable:${o.type}:${o.value}`))]],
    );
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

  /** Incidents matching a WHERE clause written by a query object of this app (never by a caller), locked in id order. */
  async selectForUpdate(manager: EntityManager, where: string, params: unknown[]): Promise<TriageIncident[]> {
    const rows: IncidentRow[] = await manager.query(`SELECT * FROM incident WHERE ${where} ORDER BY id FOR UPDATE`, params);
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

  /**
   * {@link insertNew} for several incidents (distinct ids) in one statement: the ids of those
   * stored, each with its first timeline entry; the others existed already.
   */
  async insertNewAll(manager: EntityManager, items: ReadonlyArray<{ incident: TriageIncident; first: TimelineEntry }>): Promise<Set<string>> {
    const stored = new Set<string>();
    const [sample] = items;
    if (!sample) return stored;
    const names = Object.keys(sample.incident).map(column);
    // Well under Postgres's 65,535 parameters per statement.
    const perStatement = Math.max(1, Math.floor(30_000 / names.length));
    for (let start = 0; start < items.length; start += perStatement) {
      const chunk = items.slice(start, start + perStatement);
      const params: unknown[] = [];
      const param = (value: unknown, cast = '') => `$${params.push(value)}${cast}`;
      const values = chunk.map(({ incident }) => {
        const row = Object.entries(incident).map(([field, value]) => [column(field), value] as const);
        if (row.some(([name], i) => name !== names[i])) throw new Error('incidents to insert must have the same fields in the same order');
        return `(${row.map(([name, value]) => param(sqlValue(name, value), JSON_COLUMNS.has(name) ? '::jsonb' : '')).join(', ')})`;
      });
      const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
      const firsts = chunk.map((item) => item.first);
      const rows: Array<{ incident_id: string }> = await manager.query(
        `WITH inserted AS (
           INSERT INTO incident (${names.join(', ')}) VALUES ${values.join(', ')} ON CONFLICT (id) DO NOTHING RETURNING id
         )
         INSERT INTO incident_timeline (incident_id, version, type, event_id, by, data, at)
         SELECT e.incident_id, e.version, e.type, e.event_id, e.by, e.data, e.at
           FROM unnest(${param(firsts.map((e) => e.incidentId))}::uuid[], ${param(firsts.map((e) => e.version))}::int[], ${param(firsts.map((e) => e.type))}::text[],
                       ${param(firsts.map((e) => e.eventId))}::uuid[], ${param(firsts.map((e) => json(e.by)))}::jsonb[], ${param(firsts.map((e) => json(e.data)))}::jsonb[],
                       ${param(firsts.map((e) => e.at))}::timestamptz[]) WITH ORDINALITY AS e(incident_id, version, type, event_id, by, data, at, n)
           JOIN inserted ON inserted.id = e.incident_id ORDER BY e.n
         RETURNING incident_id`,
        params,
      );
      for (const row of rows) stored.add(row.incident_id);
    }
    return stored;
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

  /**
   * {@link update} for several incidents (distinct ids) in one statement: each gets its own
   * patch, version bump and timeline entries. Returns the ids updated (an incident whose
   * version was not `expectedVersion` is left out).
   */
  async updateAll(
    manager: EntityManager,
    items: ReadonlyArray<{ id: string; expectedVersion: number; patch: IncidentPatch; at: Date; entries: readonly TimelineEntry[] }>,
  ): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const rows = items.map((item) => ({
      id: item.id,
      expected: item.expectedVersion,
      bump: Math.max(1, item.entries.length),
      at: item.at,
      // Only the fields set: a field left out keeps its value (a null sets null).
      set: Object.fromEntries(Object.entries(item.patch).filter(([, value]) => value !== undefined).map(([field, value]) => [column(field), value ?? null])),
    }));
    const names = [...new Set(rows.flatMap((row) => Object.keys(row.set)))];
    for (const name of names) if (!/^[a-z_]+$/.test(name)) throw new Error(`not a column: ${name}`);
    const sets = names.map((name) => `${name} = CASE WHEN v.s ? '${name}' THEN (v.r).${name} ELSE i.${name} END`);
    const entries = items.flatMap((item) => item.entries);
    const json = (value: unknown) => (value === null ? null : JSON.stringify(value));
    const updated: Array<{ id: string }> = await manager.query(
      `WITH v AS (
         SELECT (x->>'id')::uuid AS id, (x->>'expected')::int AS expected, (x->>'bump')::int AS bump, (x->>'at')::timestamptz AS at, x->'set' AS s,
                jsonb_populate_record(NULL::incident, x->'set') AS r
           FROM jsonb_array_elements($1::jsonb) AS x),
       updated AS (
         UPDATE incident i SET ${[...sets, 'version = i.version + v.bump', 'updated_at = v.at'].join(', ')}
           FROM v WHERE i.id = v.id AND i.version = v.expected RETURNING i.id),
       recorded AS (
         INSERT INTO incident_timeline (incident_id, version, type, event_id, by, data, at)
         SELECT e.incident_id, e.version, e.type, e.event_id, e.by, e.data, e.at
           FROM unnest($2::uuid[], $3::int[], $4::text[], $5::uuid[], $6::jsonb[], $7::jsonb[], $8::timestamptz[]) WITH ORDINALITY AS e(incident_id, version, type, event_id, by, data, at, n)
           JOIN updated ON updated.id = e.incident_id ORDER BY e.n)
       SELECT id FROM updated`,
      [
        JSON.stringify(rows),
        entries.map((e) => e.incidentId), entries.map((e) => e.version), entries.map((e) => e.type), entries.map((e) => e.eventId),
        entries.map((e) => json(e.by)), entries.map((e) => json(e.data)), entries.map((e) => e.at),
      ],
    );
    return new Set(updated.map((row) => row.id));
  }
}
