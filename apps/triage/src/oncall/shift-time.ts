import { DateTime, IANAZone } from 'luxon';

/** Days of the week as a rotation names them (ISO order, Monday first). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Minutes in a day: `24:00` is this many minutes after midnight. */
export const MINUTES_PER_DAY = 24 * 60;

// Wall-clock time of day: `07:00`, `19:30`, and `24:00` for the end of the day.
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
// A local date and time without a zone (`2026-11-03T06:00`, seconds optional).
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;
// The same with a zone, when a client would rather say the instant.
const ZONED_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Whether `zone` is an IANA time zone name (`America/New_York`, `UTC`), not a fixed offset. */
export function isIanaZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length <= 64 && /^[A-Za-z]/.test(zone) && IANAZone.isValidZone(zone);
}

/** Minutes after local midnight of a `HH:mm` time of day (`24:00` = 1440), or undefined. */
export function parseTimeOfDay(value: unknown): number | undefined {
  if (typeof value !== 'string' || !TIME_OF_DAY.test(value)) return undefined;
  const [hours, minutes] = value.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/**
 * The instant of a dated shift boundary: a local date-time read in `zone`, or a date-time
 * with its own offset. Undefined when it is neither (or names a day that does not exist).
 */
export function parseShiftInstant(value: unknown, zone: string): DateTime | undefined {
  if (typeof value !== 'string' || !(LOCAL_DATE_TIME.test(value) || ZONED_DATE_TIME.test(value))) return undefined;
  const parsed = DateTime.fromISO(value, { zone });
  return parsed.isValid ? parsed : undefined;
}

/** Whether the value looks like a time of day (as opposed to a date-time). */
export function isTimeOfDayForm(value: unknown): boolean {
  return typeof value === 'string' && /^\d{2}:\d{2}$/.test(value);
}

/**
 * The instant at which the wall clock of `zone` reads `minutes` after midnight on the local
 * day `day`. Luxon settles the two DST edge cases: a time skipped by spring-forward moves on
 * by the gap (02:30 becomes 03:30 EDT), and a time that happens twice on fall-back is the
 * later, standard-time one (01:30 EST).
 */
export function wallClockInstant(day: DateTime, minutes: number, zone: string): DateTime {
  const date = minutes >= MINUTES_PER_DAY ? day.plus({ days: 1 }) : day;
  const inDay = minutes % MINUTES_PER_DAY;
  return DateTime.fromObject(
    { year: date.year, month: date.month, day: date.day, hour: Math.floor(inDay / 60), minute: inDay % 60 },
    { zone },
  );
}
