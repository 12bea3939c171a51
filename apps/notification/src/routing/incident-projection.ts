import type { IncidentCategory, PriorityLevel, Tlp } from '@watchfloor/contracts';
import type { EntityManager } from 'typeorm';

/** What notification keeps of an incident to route events about it. */
export interface IncidentFacts {
  id: string;
  reference?: string;
  /** `submittedBy.org` of `incident.reported`: the only org amber+strict may go to. */
  reportingOrg?: string;
  tlp?: Tlp;
  category?: IncidentCategory;
  jurisdiction?: string;
  priority?: PriorityLevel;
  /** The exercise of the incident (from `incident.reported`). */
  exercise?: string;
  /** False until `incident.reported` has been seen. */
  reported: boolean;
}

/** What an event adds to an incident's details (intake's fields, versioned by intake). */
export interface DetailsWrite {
  incidentId: string;
  version: number;
  details: { reference?: string; reportingOrg?: string; tlp?: Tlp; category?: IncidentCategory; jurisdiction?: string; exercise?: string };
}

/** What an event of triage's sets: the priority, versioned by triage. */
export interface PriorityWrite {
  incidentId: string;
  version: number;
  priority: PriorityLevel;
}

const opt = <T>(value: unknown): T | undefined => (value === null || value === undefined ? undefined : (value as T));

/**
 * The small projection of incidents in notification's schema. Intake's fields and triage's
 * priority are versioned separately (each service counts its own versions); a field is
 * only overwritten by a newer version (an older one only fills gaps), so out-of-order
 * events cannot roll it back.
 */
export class IncidentProjection {
  /**
   * From `incident.reported` (version 1) or an `incident.updated` that replaced fields: one
   * statement for several incidents (each at most once: a row cannot be updated twice by one
   * statement); the incidents' facts after the write, by id.
   */
  async recordDetails(manager: EntityManager, writes: readonly DetailsWrite[]): Promise<Map<string, IncidentFacts>> {
    if (writes.length === 0) return new Map();
    const column = <T>(pick: (write: DetailsWrite) => T | undefined) => writes.map((write) => pick(write) ?? null);
    // In id order, so two transactions writing overlapping incidents lock them in the same order.
    const rows: Array<Record<string, unknown>> = await manager.query(
      `INSERT INTO incident (id, reference, reporting_org, tlp, category, jurisdiction, details_version, updated_at, exercise)
       SELECT id, reference, reporting_org, tlp, category, jurisdiction, details_version, now(), exercise
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::text[])
         AS w (id, reference, reporting_org, tlp, category, jurisdiction, details_version, exercise)
       ORDER BY id
       ON CONFLICT (id) DO UPDATE SET
         reference = COALESCE(EXCLUDED.reference, incident.reference),
         reporting_org = COALESCE(EXCLUDED.reporting_org, incident.reporting_org),
         tlp = CASE WHEN EXCLUDED.details_version > incident.details_version THEN COALESCE(EXCLUDED.tlp, incident.tlp) ELSE COALESCE(incident.tlp, EXCLUDED.tlp) END,
         category = CASE WHEN EXCLUDED.details_version > incident.details_version THEN COALESCE(EXCLUDED.category, incident.category) ELSE COALESCE(incident.category, EXCLUDED.category) END,
         jurisdiction = COALESCE(incident.jurisdiction, EXCLUDED.jurisdiction),
         exercise = COALESCE(incident.exercise, EXCLUDED.exercise),
         details_version = GREATEST(EXCLUDED.details_version, incident.details_version),
         updated_at = now()
       RETURNING ${FACT_COLUMNS}`,
      [
        writes.map((w) => w.incidentId), column((w) => w.details.reference), column((w) => w.details.reportingOrg), column((w) => w.details.tlp),
        column((w) => w.details.category), column((w) => w.details.jurisdiction), writes.map((w) => w.version), column((w) => w.details.exercise),
      ],
    );
    return byId(rows);
  }

  /** From triage's events that set a priority (triaged, reprioritized, escalated); as {@link recordDetails}, several incidents at once. */
  async recordPriority(manager: EntityManager, writes: readonly PriorityWrite[]): Promise<Map<string, IncidentFacts>> {
    if (writes.length === 0) return new Map();
    const rows: Array<Record<string, unknown>> = await manager.query(
      `INSERT INTO incident (id, priority, priority_version, updated_at)
       SELECT id, priority, priority_version, now() FROM unnest($1::uuid[], $2::text[], $3::int[]) AS w (id, priority, priority_version)
       ORDER BY id
       ON CONFLICT (id) DO UPDATE SET
         priority = CASE WHEN EXCLUDED.priority_version > incident.priority_version THEN EXCLUDED.priority ELSE incident.priority END,
         priority_version = GREATEST(EXCLUDED.priority_version, incident.priority_version),
         updated_at = now()
       RETURNING ${FACT_COLUMNS}`,
      [writes.map((w) => w.incidentId), writes.map((w) => w.priority), writes.map((w) => w.version)],
    );
    return byId(rows);
  }

  async find(manager: EntityManager, ids: readonly string[]): Promise<IncidentFacts[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${FACT_COLUMNS} FROM incident WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toFacts);
  }
}

const FACT_COLUMNS = 'id, reference, reporting_org, tlp, category, jurisdiction, priority, exercise';

/** Facts by incident id (Postgres returns uuids in lower case, as the events carry them). */
function byId(rows: ReadonlyArray<Record<string, unknown>>): Map<string, IncidentFacts> {
  return new Map(rows.map((row) => [row['id'] as string, toFacts(row)] as const));
}

function toFacts(row: Record<string, unknown>): IncidentFacts {
  return {
    id: row['id'] as string,
    reference: opt<string>(row['reference']),
    reportingOrg: opt<string>(row['reporting_org']),
    tlp: opt<Tlp>(row['tlp']),
    category: opt<IncidentCategory>(row['category']),
    jurisdiction: opt<string>(row['jurisdiction']),
    priority: opt<PriorityLevel>(row['priority']),
    exercise: opt<string>(row['exercise']),
    // Only incident.reported carries the reference.
    reported: row['reference'] !== null && row['reference'] !== undefined,
  };
}
