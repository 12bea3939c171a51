import { Inject, Injectable } from '@nestjs/common';
import { BOUNDS, createEvent, OCD_ID_ROOT, type ExercisePurgedV1 } from '@watchfloor/contracts';
import { Outbox } from '@watchfloor/messaging';
import type { Caller } from '@watchfloor/platform';
import { Clock } from '@watchfloor/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { TRIAGE_SOURCE } from '../incidents/incident-changes';

/**
 * `DELETE /v1/exercises/:id`: removes an exercise's incidents (with their timeline, notes,
 * observables, parked updates), its clusters, its rotations and its outbox rows (a replay
 * must not bring them back), and records the purge as `exercise.purged` in the same
 * transaction. Inbox rows stay: they keep a late or replayed event of the exercise from
 * being handled again. Repeatable: a second purge finds nothing and says so.
 */
@Injectable()
export class PurgeExercise {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, exercise: string, correlationId: string): Promise<ExercisePurgedV1> {
    return this.dataSource.transaction(async (manager) => {
      const incidentIds = await this.removeIncidents(manager, exercise);
      const clusters = await deleted(manager, `DELETE FROM cluster WHERE exercise = $1 RETURNING id`, [exercise]);
      const rotations = await deleted(manager, `DELETE FROM oncall_rotation WHERE exercise = $1 RETURNING version`, [exercise]);
      await manager.query(`DELETE FROM outbox WHERE headers->>'exercise' = $1 AND type <> 'watchfloor.exercise.purged.v1'`, [exercise]);
      const now = this.clock.now();
      const data: ExercisePurgedV1 = {
        exercise,
        service: 'triage',
        removed: { incidents: incidentIds.length, clusters, rotations },
        incidentIds: incidentIds.slice(0, BOUNDS.clusterIncidents),
        by: { kind: 'user', sub: caller.sub, ...(caller.org === undefined ? {} : { org: caller.org }) },
        purgedAt: now.toISOString(),
      };
      await this.outbox.add(
        manager,
        createEvent('watchfloor.exercise.purged.v1', data, { source: TRIAGE_SOURCE, subject: exercise, tlp: 'amber', jurisdiction: OCD_ID_ROOT, correlationId, time: now }),
      );
      return data;
    });
  }

  /** The exercise's incidents and everything hanging off them; returns their ids. */
  private async removeIncidents(manager: EntityManager, exercise: string): Promise<string[]> {
    const rows: Array<{ id: string }> = await manager.query(`SELECT id FROM incident WHERE exercise = $1 ORDER BY received_at, id FOR UPDATE`, [exercise]);
    const ids = rows.map((row) => row.id);
    await manager.query(`DELETE FROM pending_update WHERE event->>'exercise' = $1`, [exercise]);
    if (ids.length === 0) return ids;
    for (const table of ['incident_timeline', 'incident_note', 'incident_observable']) {
      await manager.query(`DELETE FROM ${table} WHERE incident_id = ANY($1::uuid[])`, [ids]);
    }
    await manager.query(`DELETE FROM incident WHERE id = ANY($1::uuid[])`, [ids]);
    return ids;
  }
}

/** How many rows a `DELETE ... RETURNING` removed (as a SELECT: TypeORM answers a bare DELETE with `[rows, count]`). */
async function deleted(manager: EntityManager, statement: string, params: unknown[]): Promise<number> {
  const rows: Array<{ n: number }> = await manager.query(`WITH gone AS (${statement}) SELECT count(*)::int AS n FROM gone`, params);
  return rows[0]?.n ?? 0;
}
