/** "4 min 05 s", "1 h 02 min": a duration at the precision a countdown needs. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (hours > 0) return `${hours} h ${String(minutes).padStart(2, '0')} min`;
  if (minutes > 0) return `${minutes} min ${String(rest).padStart(2, '0')} s`;
  return `${rest} s`;
}

/** How an acknowledgement deadline reads now: time left, overdue, met, or none. */
export function deadlineText(ackDeadline: string | null, acknowledgedAt: string | null, now: number): { text: string; overdue: boolean } {
  if (acknowledgedAt) return { text: 'Acknowledged', overdue: false };
  if (!ackDeadline) return { text: 'No deadline', overdue: false };
  const left = Date.parse(ackDeadline) - now;
  return left > 0 ? { text: `${formatDuration(left)} left to acknowledge`, overdue: false } : { text: `Overdue by ${formatDuration(left)}`, overdue: true };
}

/** A timestamp as the floor reads it: local date and time, to the minute. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A timestamp to the second, for ledgers where seconds tell events apart. */
export function formatClock(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * An id in a few characters: its last 8. UUIDv7 ids begin with their time, so ids made in
 * the same minute share their first characters; their ends tell them apart.
 */
export const shortId = (id: string) => `…${id.slice(-8)}`;

/** A `datetime-local` input's value (local time, no zone) as ISO 8601 UTC; undefined when empty or invalid. */
export function localInputToIso(value: string): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** `now` as a `datetime-local` value, to the minute. */
export function isoToLocalInput(date: Date): string {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
