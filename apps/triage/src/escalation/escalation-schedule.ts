/** What the scheduler needs to know about one missed deadline. */
export interface MissedDeadline {
  /** The deadline that passed. */
  due: Date;
  /** The level this escalation fires (1 for the first). */
  level: number;
  /** The acknowledgement period of the incident's current priority, in seconds; undefined when it has none. */
  periodSeconds: number | undefined;
}

/**
 * When the incident escalates again, or undefined when it stops (no deadline for its level
 * any more, or `maxLevel` reached). Normally one period after the missed deadline, so the
 * levels keep the rhythm of the table (5, 10, 15 min for an emergency). If that moment has
 * passed too (triage was down), one period from `now` instead: after an outage levels come
 * one at a time, a period apart, so whoever is paged has a chance to answer, never a burst.
 */
export function nextEscalationDue(missed: MissedDeadline, now: Date, maxLevel: number): Date | undefined {
  if (missed.periodSeconds === undefined || missed.level >= maxLevel) return undefined;
  const periodMs = missed.periodSeconds * 1000;
  const onRhythm = missed.due.getTime() + periodMs;
  return new Date(onRhythm > now.getTime() ? onRhythm : now.getTime() + periodMs);
}
