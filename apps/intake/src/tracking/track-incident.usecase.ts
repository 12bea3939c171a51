import { Injectable } from '@nestjs/common';
import { PermanentError } from '@watchfloor/messaging';
import type { EntityManager } from 'typeorm';
import type { StatusChange } from '../incidents/incident.record';
import type { TriageProgress } from './triage-progress';

interface TrackedRow {
  status_version: number;
  priority_version: number;
  history: Array<StatusChange & { version?: number }>;
}

/**
 * Applies triage's progress to intake's copy so the submitter can follow the incident.
 * Events may arrive out of order or again: each field only takes a newer version's value,
 * and the history keeps one entry per (version, status), ordered by version.
 */
@Injectable()
export class TrackIncident {
  async execute(manager: EntityManager, progress: TriageProgress): Promise<void> {
    const rows: TrackedRow[] = await manager.query(
      'SELECT status_version, priority_version, history FROM incident WHERE id = $1 FOR UPDATE',
      [progress.incidentId],
    );
    const row = rows[0];
    // Triage only knows incidents intake announced: an unknown one is a broken event, not a delay.
    if (!row) {
      // A late event about an exercise incident purged since: nothing to follow any more.
      if (progress.exercise !== undefined) return;
      throw new PermanentError(`no incident ${progress.incidentId} in intake`);
    }

    const sets: string[] = [];
    const params: unknown[] = [progress.incidentId];
    const set = (column: string, value: unknown) => sets.push(`${column} = $${params.push(value)}`);
    if (progress.status && progress.version > row.status_version) {
      set('status', progress.status);
      set('status_version', progress.version);
    }
    if (progress.priority && progress.version > row.priority_version) {
      set('priority', progress.priority);
      set('priority_version', progress.version);
    }
    if (progress.acknowledgedAt) {
      // The first acknowledgement is the one that counts; a later event cannot move it.
      sets.push(`acknowledged_at = COALESCE(acknowledged_at, $${params.push(progress.acknowledgedAt)}::timestamptz)`);
    }
    if (progress.status) {
      const history = withEntry(row.history, { status: progress.status, at: progress.at, version: progress.version, ...(progress.resolution ? { resolution: progress.resolution } : {}) });
      if (history !== row.history) set('history', JSON.stringify(history));
    }
    if (sets.length === 0) return;
    await manager.query(`UPDATE incident SET ${sets.join(', ')}, updated_at = now() WHERE id = $1`, params);
  }
}

function withEntry<T extends { status: string; version?: number }>(history: T[], entry: T): T[] {
  if (history.some((item) => item.version === entry.version && item.status === entry.status)) return history;
  // intake's own `received` entry has no triage version: it stays first.
  return [...history, entry].sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
}
