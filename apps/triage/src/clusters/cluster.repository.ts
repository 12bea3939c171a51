import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ClusterSummary } from '../incidents/incident.view';

interface ClusterRow {
  id: string;
  version: number;
  campaign: boolean;
  jurisdictions: string[];
  shared_observables: Array<{ type: string; value: string }>;
  created_at: Date;
  updated_at: Date;
  incident_ids: string[];
  exercise: string | null;
}

/** A cluster as staff read it. */
export type ClusterView = ClusterSummary & { createdAt: string; updatedAt: string; exercise?: string };

function toView(row: ClusterRow): ClusterView {
  return {
    id: row.id,
    version: row.version,
    campaign: row.campaign,
    jurisdictions: row.jurisdictions,
    incidentIds: row.incident_ids,
    sharedObservables: row.shared_observables,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    ...(row.exercise === null ? {} : { exercise: row.exercise }),
  };
}

const SELECT = `SELECT c.*, COALESCE((SELECT array_agg(i.id ORDER BY i.received_at, i.id) FROM incident i WHERE i.cluster_id = c.id), '{}') AS incident_ids FROM cluster c`;

/** Reads of `cluster` with its members. */
@Injectable()
export class ClusterRepository {
  async findById(manager: EntityManager, id: string): Promise<ClusterView | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const rows: ClusterRow[] = await manager.query(`${SELECT} WHERE c.id = $1`, [id]);
    return rows[0] ? toView(rows[0]) : undefined;
  }

  /** Most recently changed first. */
  async list(manager: EntityManager, options: { campaign?: boolean; exercise?: string; limit: number; before?: { updatedAt: string; id: string } }): Promise<ClusterView[]> {
    const params: unknown[] = [];
    const where: string[] = ['true'];
    if (options.campaign !== undefined) where.push(`c.campaign = $${params.push(options.campaign)}`);
    where.push(options.exercise ? `c.exercise = $${params.push(options.exercise)}` : 'c.exercise IS NULL');
    if (options.before) where.push(`(c.updated_at, c.id) < ($${params.push(options.before.updatedAt)}::timestamptz, $${params.push(options.before.id)}::uuid)`);
    const rows: ClusterRow[] = await manager.query(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY c.updated_at DESC, c.id DESC LIMIT ${Math.trunc(options.limit)}`, params);
    return rows.map(toView);
  }
}
