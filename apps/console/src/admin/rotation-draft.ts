import type { Rotation, RotationBody } from '../api/triage';

/** The week's days as the rotation names them (`days` of a weekly shift). */
export const WEEK_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** The rotation as the administrator edits it: strings as typed, no days ticked for "every day". */
export interface RotationDraft {
  timezone: string;
  shifts: Array<{ assignee: string; start: string; end: string; days: string[] }>;
  escalation: string[];
}

export function draftOf(rotation: Rotation): RotationDraft {
  return {
    // A first rotation starts from the browser's own zone, which is usually the floor's.
    timezone: rotation.version === 0 ? Intl.DateTimeFormat().resolvedOptions().timeZone : rotation.timezone,
    shifts: rotation.shifts.map((shift) => ({ assignee: shift.assignee, start: shift.start, end: shift.end, days: shift.days ?? [] })),
    escalation: [...rotation.escalation],
  };
}

/**
 * The body of `PUT /v1/oncall`. Strings are trimmed, `days` left out when none is ticked
 * (every day), empty escalation rows dropped; everything else is the API's to judge.
 */
export function toRotationBody(draft: RotationDraft): RotationBody {
  return {
    timezone: draft.timezone.trim(),
    shifts: draft.shifts.map((shift) => ({
      assignee: shift.assignee.trim(),
      start: shift.start.trim(),
      end: shift.end.trim(),
      ...(shift.days.length > 0 ? { days: WEEK_DAYS.filter((day) => shift.days.includes(day)) } : {}),
    })),
    escalation: draft.escalation.map((contact) => contact.trim()).filter(Boolean),
  };
}

/** The form field an API field belongs beside: `shifts[2].end` → `shifts.2.end`, `shifts[0].days[1]` → `shifts.0.days`. */
export function rotationFieldOf(apiField: string): string {
  const path = apiField.replace(/\[(\d+)\]/g, '.$1');
  const days = /^shifts\.\d+\.days/.exec(path);
  return days ? days[0] : path;
}

/** The DOM id of a rotation form control (the error summary links to it). */
export function rotationControlId(formField: string): string {
  return `rotation-${formField.replace(/[^A-Za-z0-9]+/g, '-')}`;
}
