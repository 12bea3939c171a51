import type { PrincipalRef } from '@watchfloor/contracts';
import type { ShiftSpec } from './rotation';
import type { Rotation } from './rotation';
import type { StoredRotation } from './rotation.repository';

/** Who is on call at one instant, and the shift windows that put them there. */
export interface OnCallNowView {
  at: string;
  /** In round-robin order; empty when nobody is on call. */
  assignees: string[];
  windows: Array<{ assignee: string; start: string; end: string }>;
}

/** `GET /v1/oncall` and `PUT /v1/oncall` answer with this. */
export interface RotationView {
  /** 0 before an admin has set a rotation. */
  version: number;
  timezone: string;
  shifts: ShiftSpec[];
  escalation: string[];
  changedBy: PrincipalRef | null;
  changedAt: string | null;
  onCall: OnCallNowView;
  /** The exercise this rotation is for; absent for the real one. */
  exercise?: string;
}

/** The view of the rotation in force (or of none), with who is on call at `at`. */
export function toRotationView(current: { stored: StoredRotation; rotation: Rotation } | undefined, at: Date, exercise?: string): RotationView {
  const windows = current?.rotation.windowsAt(at) ?? [];
  const onCall: OnCallNowView = {
    at: at.toISOString(),
    assignees: current?.rotation.onCallAt(at) ?? [],
    windows: windows.map((window) => ({ assignee: window.assignee, start: window.start.toISOString(), end: window.end.toISOString() })),
  };
  const marked = exercise === undefined ? {} : { exercise };
  if (!current) return { version: 0, timezone: 'UTC', shifts: [], escalation: [], changedBy: null, changedAt: null, onCall, ...marked };
  const { stored } = current;
  return {
    version: stored.version,
    timezone: stored.timezone,
    shifts: stored.shifts,
    escalation: stored.escalation,
    changedBy: stored.changedBy,
    changedAt: stored.changedAt.toISOString(),
    onCall,
    ...marked,
  };
}
