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

const opt = <T>(value: unknown): T | undefined => (value === null || value === undefined ? undefined : (value as T));

/**
 * The small projection of incidents in notification's schema. Intake's fields and triage's
 * priority are versioned separately (each service counts its own versions); a field is
 * only overwritten by a newer version (an older one only fills gaps), so out-of-order
 * events cannot roll it back.
 */
export class IncidentProjection {
  /** From `incident.reported` (version 1) or an `incident.updated` that replaced fields. */
  async recordDetails(
    manager: EntityManager,
    incidentId: string,
    version: number,
    details: { reference?: string; reportingOrg?: string; tlp?: Tlp; category?: IncidentCategory; jurisdiction?: string; exercise?: string },
  ): Promise<IncidentFacts> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `INSERT INTO incident (id, reference, reporting_org, tlp, category, jurisdiction, details_version, updated_at, exercise)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now(), $8)
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
      [incidentId, details.reference ?? null, details.reportingOrg ?? null, details.tlp ?? null, details.category ?? null, details.jurisdiction ?? null, version, details.exercise ?? null],
    );
    return toFacts(rows[0] ?? {});
  }

  /** From triage's events that set a priority (triaged, reprioritized, escalated). */
  async recordPriority(manager: EntityManager, incidentId: string, version: number, priority: PriorityLevel): Promise<IncidentFacts> {
    const rows: Array<Record<string, unknown>> = await manager.query(
      `INSERT INTO incident (id, priority, priority_version, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (id) DO UPDATE SET
         priority = CASE WHEN EXCLUDED.priority_version > incident.priority_version THEN EXCLUDED.priority ELSE incident.priority END,
         priority_version = GREATEST(EXCLUDED.priority_version, incident.priority_version),
         updated_at = now()
       RETURNING ${FACT_COLUMNS}`,
      [incidentId, priority, version],
    );
    return toFacts(rows[0] ?? {});
  }

  async find(manager: EntityManager, ids: readonly string[]): Promise<IncidentFacts[]> {
    const rows: Array<Record<string, unknown>> = await manager.query(`SELECT ${FACT_COLUMNS} FROM incident WHERE id = ANY($1::uuid[])`, [ids]);
    return rows.map(toFacts);
  }
}

const FACT_COLUMNS = 'id, reference, reporting_org, tlp, category, jurisdiction, priority, exercise';

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
