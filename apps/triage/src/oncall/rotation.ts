import type { FieldError } from '@watchfloor/contracts';
import { DateTime } from 'luxon';
import {
  isIanaZone,
  isTimeOfDayForm,
  parseShiftInstant,
  parseTimeOfDay,
  wallClockInstant,
  WEEKDAYS,
  type Weekday,
} from './shift-time';

/** A shift as an admin writes it (see docs/triage-oncall.md). */
export interface ShiftSpec {
  /** The on-call person's `sub`. */
  assignee: string;
  /** `HH:mm` (every week, on `days`) or a date-time (once). */
  start: string;
  end: string;
  /** Days a weekly shift starts on; every day when absent. Not allowed on dated shifts. */
  days?: Weekday[];
}

/** The rotation as stored and shown: shifts in one IANA time zone, escalation contacts by level. */
export interface RotationSpec {
  timezone: string;
  shifts: ShiftSpec[];
  /** `escalation[0]` is called at level 1, `[1]` at level 2, ...; the last one for every level beyond. */
  escalation: string[];
}

/** The longest a dated shift may last: longer is almost certainly a typo in a year or month. */
export const MAX_DATED_SHIFT_DAYS = 31;

type CompiledShift =
  | { kind: 'weekly'; assignee: string; days: ReadonlySet<number>; start: number; end: number }
  | { kind: 'dated'; assignee: string; start: number; end: number };

/** One stretch of time someone is on call. */
export interface ShiftWindow {
  assignee: string;
  start: Date;
  end: Date;
}

/** A rotation checked and ready to answer "who is on call at ...". */
export class Rotation {
  private constructor(
    readonly spec: RotationSpec,
    private readonly shifts: readonly CompiledShift[],
  ) {}

  /** Checks what class-validator cannot: zone-dependent times and relations between fields. */
  static compile(spec: RotationSpec): { ok: true; rotation: Rotation } | { ok: false; errors: FieldError[] } {
    const errors: FieldError[] = [];
    if (!isIanaZone(spec.timezone)) {
      return { ok: false, errors: [{ field: 'timezone', message: 'timezone must be an IANA time zone name, e.g. America/New_York' }] };
    }
    const shifts: CompiledShift[] = [];
    spec.shifts.forEach((shift, index) => {
      const compiled = compileShift(shift, spec.timezone, `shifts[${index}]`, errors);
      if (compiled) shifts.push(compiled);
    });
    return errors.length > 0 ? { ok: false, errors } : { ok: true, rotation: new Rotation(spec, shifts) };
  }

  /** Every shift window that covers `at` (a shift lasts at most a day, or `MAX_DATED_SHIFT_DAYS` when dated). */
  windowsAt(at: Date): ShiftWindow[] {
    const instant = at.getTime();
    const today = DateTime.fromMillis(instant, { zone: this.spec.timezone }).startOf('day');
    // A weekly shift that started yesterday may still be running (overnight shifts).
    const days = [today.minus({ days: 1 }), today];
    const windows: ShiftWindow[] = [];
    for (const shift of this.shifts) {
      if (shift.kind === 'dated') {
        if (shift.start <= instant && instant < shift.end) {
          windows.push({ assignee: shift.assignee, start: new Date(shift.start), end: new Date(shift.end) });
        }
        continue;
      }
      for (const day of days) {
        if (!shift.days.has(day.weekday)) continue;
        const start = wallClockInstant(day, shift.start, this.spec.timezone).toMillis();
        const end = wallClockInstant(day, shift.end > shift.start ? shift.end : shift.end + 24 * 60, this.spec.timezone).toMillis();
        if (start <= instant && instant < end) windows.push({ assignee: shift.assignee, start: new Date(start), end: new Date(end) });
      }
    }
    return windows;
  }

  /** Who is on call at `at`, each once, in the order their shifts are listed (the round-robin order). */
  onCallAt(at: Date): string[] {
    return [...new Set(this.windowsAt(at).map((window) => window.assignee))];
  }

  /** The contact for escalation `level` (1, 2, ...): past the end of the list, the last one. */
  escalationContact(level: number): string | undefined {
    const contacts = this.spec.escalation;
    if (contacts.length === 0 || level < 1) return undefined;
    return contacts[Math.min(level, contacts.length) - 1];
  }
}

function compileShift(shift: ShiftSpec, zone: string, path: string, errors: FieldError[]): CompiledShift | undefined {
  if (isTimeOfDayForm(shift.start) || isTimeOfDayForm(shift.end)) return compileWeekly(shift, path, errors);
  return compileDated(shift, zone, path, errors);
}

function compileWeekly(shift: ShiftSpec, path: string, errors: FieldError[]): CompiledShift | undefined {
  const start = parseTimeOfDay(shift.start);
  const end = parseTimeOfDay(shift.end);
  const before = errors.length;
  if (start === undefined || start >= 24 * 60) errors.push({ field: `${path}.start`, message: 'start must be a time of day from 00:00 to 23:59, like end' });
  if (end === undefined) errors.push({ field: `${path}.end`, message: 'end must be a time of day from 00:00 to 24:00, like start' });
  if (errors.length > before || start === undefined || end === undefined) return undefined;
  const days = new Set((shift.days ?? WEEKDAYS).map((day) => WEEKDAYS.indexOf(day) + 1));
  return { kind: 'weekly', assignee: shift.assignee, days, start, end };
}

function compileDated(shift: ShiftSpec, zone: string, path: string, errors: FieldError[]): CompiledShift | undefined {
  const start = parseShiftInstant(shift.start, zone);
  const end = parseShiftInstant(shift.end, zone);
  const before = errors.length;
  if (!start) errors.push({ field: `${path}.start`, message: 'start must be a time of day (HH:mm) or a date-time (YYYY-MM-DDTHH:mm, local to timezone, or with an offset)' });
  if (!end) errors.push({ field: `${path}.end`, message: 'end must be a date-time like start' });
  if (shift.days !== undefined) errors.push({ field: `${path}.days`, message: 'days applies to weekly shifts (HH:mm), not to dated ones' });
  if (errors.length > before || !start || !end) return undefined;
  if (end <= start) {
    errors.push({ field: `${path}.end`, message: 'end must be after start' });
    return undefined;
  }
  if (end.diff(start, 'days').days > MAX_DATED_SHIFT_DAYS) {
    errors.push({ field: `${path}.end`, message: `a dated shift may last at most ${MAX_DATED_SHIFT_DAYS} days` });
    return undefined;
  }
  return { kind: 'dated', assignee: shift.assignee, start: start.toMillis(), end: end.toMillis() };
}
