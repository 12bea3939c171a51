import type { Client } from 'pg';
import { invariant, type Invariant } from './invariant';

/** How late an escalation may be (a fault in the way: Postgres restarting, a process stalled with the claim). */
const LATE_S = 30;
/** How far Postgres's time as triage tells it may be off (half a round trip on a loaded machine). */
const CLOCK_ERROR_S = 1;
/** How long a triage transaction may last between reading the clock and writing its events (a process stalled mid-way). */
const TRANSACTION_S = 30;

const TRIAGED = 'watchfloor.incident.triaged.v1';
const ESCALATED = 'watchfloor.incident.escalated.v1';

/** One event triage wrote about an incident, and when by Postgres's clock (the outbox's `created_at`). */
interface Written {
  incident_id: string;
  type: string;
  written_at: Date;
  level: number | null;
  deadline: Date | null;
  next_deadline: Date | null;
  leaves_new: boolean;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Acknowledgement deadlines judged by the record's clock, Postgres's, whatever the clocks of
 * triage's processes said: each deadline set the acknowledgement period after triage; each
 * escalation written at or after the deadline it announces (never early), and not long after
 * (a separate check with the lateness's quantiles: a starved triage is late, not wrong); and none
 * missed: the deadline still due when an incident left `new` (or now) had not passed by
 * more than {@link LATE_S}.
 */
export async function checkDeadlines(sql: Client, ackPeriodsS: { shortest: number; longest: number }, loadStartedAt: Date): Promise<Invariant[]> {
  const written = (
    await sql.query<Written>(
      `SELECT payload::jsonb #>> '{data,incidentId}' AS incident_id, type, created_at AS written_at,
              (payload::jsonb #>> '{data,level}')::int AS level,
              (payload::jsonb #>> '{data,deadline}')::timestamptz AS deadline,
              (payload::jsonb #>> '{data,nextDeadline}')::timestamptz AS next_deadline,
              (type = 'watchfloor.incident.acknowledged.v1' OR (type = 'watchfloor.incident.status_changed.v1' AND payload::jsonb #>> '{data,from}' = 'new')) AS leaves_new
         FROM triage.outbox
        WHERE type IN ($1, $2, 'watchfloor.incident.acknowledged.v1', 'watchfloor.incident.status_changed.v1')
        ORDER BY seq`,
      [TRIAGED, ESCALATED],
    )
  ).rows;
  const incidents = (await sql.query<{ id: string; ack_deadline: Date | null; checked_at: Date }>('SELECT id, ack_deadline, now() AS checked_at FROM triage.incident')).rows;
  const about = new Map<string, Written[]>();
  for (const event of written) about.set(event.incident_id, [...(about.get(event.incident_id) ?? []), event]);

  const escalations = written.filter((event) => event.type === ESCALATED);
  const lateness = escalations.map((e) => ({ e, after: e.written_at.getTime() - (e.deadline?.getTime() ?? 0) }));
  const into = (at: Date) => seconds(at.getTime() - loadStartedAt.getTime());
  const described = ({ e, after }: { e: Written; after: number }) => `${e.incident_id} level ${e.level}: written ${seconds(after)} after its deadline, ${into(e.written_at)} into the load`;
  // Early is a wrong clock; late is a triage that could not keep up (or a fault in the way).
  const early = lateness.filter(({ after }) => after < -CLOCK_ERROR_S * 1000).map(described);
  const lateOnes = lateness.filter(({ after }) => after > LATE_S * 1000);
  const late = [...lateOnes].sort((a, b) => b.after - a.after).map(described);
  // When they were written, to hold against the faults' times: the spans of seconds into the load.
  const lateWhen = lateOnes.length === 0 ? '' : `; the late ones written ${spansOf(lateOnes.map(({ e }) => (e.written_at.getTime() - loadStartedAt.getTime()) / 1000)).join(', ')} s into the load`;
  const sorted = lateness.map(({ after }) => after).sort((a, b) => a - b);
  const quantile = (q: number) => seconds(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);

  const deadlined = incidents.filter((row) => row.ack_deadline && about.get(row.id)?.some((e) => e.type === TRIAGED));
  const low = (ackPeriodsS.shortest - TRANSACTION_S) * 1000;
  const high = (ackPeriodsS.longest + CLOCK_ERROR_S) * 1000;
  const offPeriod = deadlined.flatMap((row) => {
    const triagedAt = about.get(row.id)?.find((e) => e.type === TRIAGED)?.written_at.getTime() ?? 0;
    const after = (row.ack_deadline?.getTime() ?? 0) - triagedAt;
    return after < low || after > high ? [`${row.id}: deadline ${seconds(after)} after triage`] : [];
  });

  const missed = incidents.flatMap((row) => {
    const events = about.get(row.id) ?? [];
    const last = events.filter((e) => e.type === ESCALATED).at(-1);
    // The deadline still to come: the last escalation's next one (none once it stopped), else the acknowledgement deadline.
    const due = last ? last.next_deadline : row.ack_deadline;
    const leftNew = events.find((e) => e.leaves_new)?.written_at ?? row.checked_at;
    const overdue = due ? leftNew.getTime() - due.getTime() : 0;
    return overdue > LATE_S * 1000 ? [`${row.id}: level ${last?.level ?? 0}, next deadline passed ${seconds(overdue)} before it left new, not escalated`] : [];
  });

  return [
    invariant(`escalations never early (written, by Postgres's clock, at or after the deadline each announces)`, escalations.length, early),
    invariant(`escalations at most ${LATE_S} s late (after the deadline: p50 ${quantile(0.5)}, p99 ${quantile(0.99)}, max ${quantile(1)}${lateWhen})`, escalations.length, late),
    invariant(`acknowledgement deadlines set by Postgres's clock (${ackPeriodsS.shortest}–${ackPeriodsS.longest} s after triage)`, deadlined.length, offPeriod),
    invariant(`no acknowledgement deadline missed (passed by ${LATE_S} s, unacknowledged, not escalated)`, incidents.length, missed),
  ];
}

/** Seconds gathered into spans ("118–150") wherever no gap of 5 s separates them. */
function spansOf(secondsIntoLoad: readonly number[]): string[] {
  const sorted = [...secondsIntoLoad].sort((a, b) => a - b);
  const spans: Array<[number, number]> = [];
  for (const at of sorted) {
    const last = spans.at(-1);
    if (last && at - last[1] <= 5) last[1] = at;
    else spans.push([at, at]);
  }
  return spans.map(([from, to]) => (Math.round(from) === Math.round(to) ? `${Math.round(from)}` : `${Math.round(from)}–${Math.round(to)}`));
}
