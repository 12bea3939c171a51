import { Inject, Injectable } from '@nestjs/common';
import { BOUNDS, createEvent, OCD_ID_ROOT, type ExercisePurgedV1 } from '@watchfloor/contracts';
import { Outbox } from '@watchfloor/messaging';
import type { Caller } from '@watchfloor/platform';
import { DataSource } from 'typeorm';
import { INTAKE_SOURCE } from '../incidents/incident.events';

/**
 * `DELETE /v1/exercises/:id`: removes an exercise's incidents, their updates and their
 * outbox rows (a replay must not bring them back), and records the purge as
 * `exercise.purged` in the same transaction. Inbox rows stay: they keep a late or replayed
 * event of the exercise from being handled again. Repeatable: a second purge finds nothing
 * and says so.
 */
@Injectable()
export class PurgeExercise {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(Outbox) private readonly outbox: Outbox,
  ) {}

  async execute(caller: Caller, exercise: string, correlationId: string): Promise<ExercisePurgedV1> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM incident_update WHERE incident_id IN (SELECT id FROM incident WHERE exercise = $1)`, [exercise]);
      // As a SELECT: TypeORM answers a bare DELETE ... RETURNING with `[rows, count]`.
      const removed: Array<{ id: string }> = await manager.query(`WITH gone AS (DELETE FROM incident WHERE exercise = $1 RETURNING id, received_at) SELECT id FROM gone ORDER BY received_at, id`, [exercise]);
      await manager.query(`DELETE FROM outbox WHERE headers->>'exercise' = $1 AND type <> 'watchfloor.exercise.purged.v1'`, [exercise]);
      const now = new Date();
      const data: ExercisePurgedV1 = {
        exercise,
        service: 'intake',
        removed: { incidents: removed.length },
        incidentIds: removed.slice(0, BOUNDS.clusterIncidents).map((row) => row.id),
        by: { kind: 'user', sub: caller.sub, ...(caller.org === undefined ? {} : { org: caller.org }) },
        purgedAt: now.toISOString(),
      };
      await this.outbox.add(
        manager,
        createEvent('watchfloor.exercise.purged.v1', data, { source: INTAKE_SOURCE, subject: exercise, tlp: 'amber', jurisdiction: OCD_ID_ROOT, correlationId, time: now }),
      );
      return data;
    });
  }
}
