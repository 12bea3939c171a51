import { Injectable } from '@nestjs/common';
import type { PrincipalRef } from '@watchfloor/contracts';
import type { EntityManager } from 'typeorm';
import type { RotationSpec } from './rotation';

/** A stored version of the rotation. */
export interface StoredRotation extends RotationSpec {
  version: number;
  changedBy: PrincipalRef;
  changedAt: Date;
}

interface RotationRow {
  version: number;
  timezone: string;
  shifts: RotationSpec['shifts'];
  escalation: string[];
  changed_by: PrincipalRef;
  changed_at: Date;
}

/** `oncall_rotation.exercise` of the real rotation (a key column, so not NULL). */
const REAL_ROTATION = '';

/** SQL on `oncall_rotation` and the `oncall_turn` sequence (search path: the triage schema). */
@Injectable()
export class RotationRepository {
  /** The rotation in force (the real one, or an exercise's), if one was ever stored. */
  async current(manager: EntityManager, exercise?: string): Promise<StoredRotation | undefined> {
    const rows: RotationRow[] = await manager.query(
      `SELECT version, timezone, shifts, escalation, changed_by, changed_at FROM oncall_rotation WHERE exercise = $1 ORDER BY version DESC LIMIT 1`,
      [exercise ?? REAL_ROTATION],
    );
    const row = rows[0];
    return row && {
      version: row.version,
      timezone: row.timezone,
      shifts: row.shifts,
      escalation: row.escalation,
      changedBy: row.changed_by,
      changedAt: row.changed_at,
    };
  }

  /** Stores `spec` as `version`; false when that version exists already (a concurrent writer won). */
  async insert(manager: EntityManager, version: number, spec: RotationSpec, changedBy: PrincipalRef, at: Date, exercise?: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `INSERT INTO oncall_rotation (version, timezone, shifts, escalation, changed_by, changed_at, exercise)
       VALUES ($1, $2, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7) ON CONFLICT (exercise, version) DO NOTHING RETURNING version`,
      [version, spec.timezone, JSON.stringify(spec.shifts), JSON.stringify(spec.escalation), JSON.stringify(changedBy), at, exercise ?? REAL_ROTATION],
    );
    return rows.length === 1;
  }

  /** The next round-robin turn, shared by every replica. */
  async nextTurn(manager: EntityManager): Promise<bigint> {
    const rows: Array<{ turn: string }> = await manager.query(`SELECT nextval('oncall_turn')::text AS turn`);
    return BigInt(rows[0]?.turn ?? '0');
  }
}
