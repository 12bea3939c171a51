import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An incident whose escalation is due, claimed (row-locked) by this transaction. */
export interface DueEscalation {
  incidentId: string;
  /** The deadline that was missed: `ack_deadline` before the first escalation, then escalation's own time. */
  due: Date;
}

// The predicate of incident_escalation_due_idx, so the scan reads only incidents still `new`.
const DUE = `status = 'new' AND acknowledged_at IS NULL AND ack_deadline IS NOT NULL`;

/** SQL of escalation on `incident` (search path: the triage schema). */
@Injectable()
export class EscalationRepository {
  /**
   * Claims up to `limit` overdue incidents, most overdue first, skipping rows another
   * transaction (another replica) holds, so each missed deadline is handled by exactly one.
   */
  async claimDue(manager: EntityManager, now: Date, limit: number): Promise<DueEscalation[]> {
    const rows: Array<{ id: string; due: Date }> = await manager.query(
      `SELECT id, COALESCE(escalation_due_at, ack_deadline) AS due FROM incident
        WHERE ${DUE} AND COALESCE(escalation_due_at, ack_deadline) <= $1
        ORDER BY COALESCE(escalation_due_at, ack_deadline)
        LIMIT $2
        FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    return rows.map((row) => ({ incidentId: row.id, due: row.due }));
  }

  /** Sets when each incident escalates next, in one statement; undefined means never again (`infinity`: out of the scan). */
  async scheduleAll(manager: EntityManager, schedules: ReadonlyArray<{ incidentId: string; next: Date | undefined }>): Promise<void> {
    if (schedules.length === 0) return;
    await manager.query(
      `UPDATE incident SET escalation_due_at = COALESCE(s.next, 'infinity')
         FROM unnest($1::uuid[], $2::timestamptz[]) AS s(id, next) WHERE incident.id = s.id`,
      [schedules.map((s) => s.incidentId), schedules.map((s) => s.next ?? null)],
    );
  }

  /** The earliest escalation still to come, if any (the scanner wakes up for it rather than a poll later). */
  async nextDue(manager: EntityManager): Promise<Date | undefined> {
    // The first entry of the due index, not min(): with its estimate of one row the planner
    // aggregated over every waiting incident, 20 ms with thousands waiting.
    const rows: Array<{ due: Date | null }> = await manager.query(
      `SELECT COALESCE(escalation_due_at, ack_deadline) AS due FROM incident
        WHERE ${DUE} AND COALESCE(escalation_due_at, ack_deadline) < 'infinity'
        ORDER BY COALESCE(escalation_due_at, ack_deadline) LIMIT 1`,
    );
    return rows[0]?.due ?? undefined;
  }
}
