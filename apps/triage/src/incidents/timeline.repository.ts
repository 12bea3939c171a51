import { Injectable } from '@nestjs/common';
import type { Initiator } from '@watchfloor/contracts';
import type { EntityManager } from 'typeorm';

/** One entry of an incident's timeline: an event triage received or emitted about it. */
export interface TimelineEntry {
  incidentId: string;
  /** Triage's version of the incident after the entry. */
  version: number;
  type: string;
  eventId: string;
  by: Initiator | { kind: 'submitter'; sub: string; org?: string } | null;
  data: unknown;
  at: Date;
}

/** SQL on `incident_timeline`. */
@Injectable()
export class TimelineRepository {
  async add(manager: EntityManager, entry: TimelineEntry): Promise<void> {
    await manager.query(
      `INSERT INTO incident_timeline (incident_id, version, type, event_id, by, data, at) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)`,
      [entry.incidentId, entry.version, entry.type, entry.eventId, entry.by === null ? null : JSON.stringify(entry.by), JSON.stringify(entry.data), entry.at],
    );
  }

  /** The incident's timeline, oldest first. */
  async list(manager: EntityManager, incidentId: string): Promise<TimelineEntry[]> {
    const rows: Array<{ incident_id: string; version: number; type: string; event_id: string; by: TimelineEntry['by']; data: unknown; at: Date }> = await manager.query(
      `SELECT incident_id, version, type, event_id, by, data, at FROM incident_timeline WHERE incident_id = $1 ORDER BY id`,
      [incidentId],
    );
    return rows.map((row) => ({ incidentId: row.incident_id, version: row.version, type: row.type, eventId: row.event_id, by: row.by, data: row.data, at: row.at }));
  }
}
