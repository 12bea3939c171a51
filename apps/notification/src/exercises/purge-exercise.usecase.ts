import { Inject, Injectable } from '@nestjs/common';
import { BOUNDS, createEvent, OCD_ID_ROOT, type ExercisePurgedV1 } from '@watchfloor/contracts';
import { Clock } from '@watchfloor/persistence';
import type { Caller } from '@watchfloor/platform';
import type { EntityManager } from 'typeorm';
import { NOTIFICATION_SOURCE } from '../subscriptions/subscription.events';
import { Transactions } from '../transactions';

/**
 * `DELETE /v1/exercises/:id`: removes an exercise's subscriptions (with their secrets), its
 * routed events and their deliveries, its incidents in the routing projection, and its
 * outbox rows (a replay must not bring them back), and records the purge as
 * `exercise.purged` in the same transaction. Inbox rows stay: they keep a replayed event of
 * the exercise from being routed again. Repeatable: a second purge finds nothing and says so.
 */
@Injectable()
export class PurgeExercise {
  constructor(
    @Inject(Transactions) private readonly transactions: Transactions,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(caller: Caller, exercise: string, correlationId: string): Promise<ExercisePurgedV1> {
    return this.transactions.run(async (manager, emit) => {
      // Each as a SELECT over the deleted rows: TypeORM answers a bare DELETE ... RETURNING with `[rows, count]`.
      const deliveries = await count(manager, `DELETE FROM delivery WHERE event_id IN (SELECT event_id FROM notification_event WHERE exercise = $1)
            OR subscription_id IN (SELECT id FROM subscription WHERE exercise = $1) RETURNING id`, exercise);
      await manager.query(`DELETE FROM notification_event WHERE exercise = $1`, [exercise]);
      const subscriptions = await count(manager, `DELETE FROM subscription WHERE exercise = $1 RETURNING id`, exercise);
      const incidents: Array<{ id: string }> = await manager.query(`WITH gone AS (DELETE FROM incident WHERE exercise = $1 RETURNING id) SELECT id FROM gone ORDER BY id`, [exercise]);
      await manager.query(`DELETE FROM outbox WHERE headers->>'exercise' = $1 AND type <> 'watchfloor.exercise.purged.v1'`, [exercise]);
      const now = this.clock.now();
      const data: ExercisePurgedV1 = {
        exercise,
        service: 'notification',
        removed: { incidents: incidents.length, subscriptions, deliveries },
        incidentIds: incidents.slice(0, BOUNDS.clusterIncidents).map((row) => row.id),
        by: { kind: 'user', sub: caller.sub, ...(caller.org === undefined ? {} : { org: caller.org }) },
        purgedAt: now.toISOString(),
      };
      await emit(createEvent('watchfloor.exercise.purged.v1', data, { source: NOTIFICATION_SOURCE, subject: exercise, tlp: 'amber', jurisdiction: OCD_ID_ROOT, correlationId, time: now }));
      return data;
    });
  }
}

async function count(manager: EntityManager, statement: string, exercise: string): Promise<number> {
  const rows: Array<{ n: number }> = await manager.query(`WITH gone AS (${statement}) SELECT count(*)::int AS n FROM gone`, [exercise]);
  return rows[0]?.n ?? 0;
}
