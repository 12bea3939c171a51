import type { IncidentStatus, PriorityLevel, TrackingStatus } from '@watchfloor/contracts';
import { PRIORITY_LABELS, STATUS_LABELS, TRACKING_STATUS_LABELS } from './labels';

export function PriorityBadge({ level }: { level: PriorityLevel | null }) {
  if (!level) return <span className="badge">Not scored yet</span>;
  return <span className={`badge priority priority-${level}`}>{PRIORITY_LABELS[level]}</span>;
}

/** Exercise traffic (a tabletop) is marked wherever it shows, so nobody takes it for a real incident. */
export function ExerciseBadge({ exercise }: { exercise: string | undefined }) {
  if (exercise === undefined) return null;
  return <span className="badge exercise" title={`Exercise ${exercise}: not a real incident`}>Exercise {exercise}</span>;
}

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`badge status status-${status}`}>{STATUS_LABELS[status]}</span>;
}

export function TrackingBadge({ status }: { status: TrackingStatus }) {
  return <span className={`badge status status-${status}`}>{TRACKING_STATUS_LABELS[status]}</span>;
}
