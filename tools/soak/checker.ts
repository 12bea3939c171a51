import type { Client } from 'pg';
import { tally, type StreamEvent } from '@watchfloor/testing';
import { checkDeadlines } from './escalations';
import { invariant, type Invariant } from './invariant';
import type { TrafficLedger } from './traffic';

export type { Invariant } from './invariant';

/** Everything the checker compares, read once the system is quiet. */
export interface Observed {
  sql: Client;
  incidentEvents: StreamEvent[];
  notificationEvents: StreamEvent[];
  /** The partner's subscriptions: the event types each routes, and how often its endpoint saw a delivery. */
  subscriptions: ReadonlyArray<{ id: string; name: string; events: readonly string[]; seen(deliveryId: string): number }>;
  chainValid: boolean;
  integrityConsistent: boolean;
  /** Message ids of the poison messages injected (dead letters name them as event ids). */
  poisonIds: readonly string[];
  /** The shortest and longest acknowledgement period triage was given, seconds. */
  ackPeriodsS: { shortest: number; longest: number };
  /** When the load began (the faults' times are counted from it). */
  loadStartedAt: Date;
}

async function rows<T>(sql: Client, query: string): Promise<T[]> {
  return (await sql.query(query)).rows as T[];
}

/**
 * Compares sets, incident by incident: what the generator attempted and was told, what
 * intake recorded, what triage, notification and audit did with it. Nothing lost, nothing
 * doubled.
 */
export async function check(ledger: TrafficLedger, observed: Observed): Promise<Invariant[]> {
  const { sql } = observed;
  // A duplicate the soak published repeats an event (same id): an effect per event id, not per message.
  const incidentEvents = distinct(observed.incidentEvents);
  const recorded = await rows<{ id: string; idempotency_key: string | null }>(sql, 'SELECT id, idempotency_key FROM intake.incident');
  const byKey = new Map(recorded.map((row) => [row.idempotency_key, row.id]));
  const answered = [...ledger.submissions.entries()].filter(([, s]) => s.incidentId);
  const recordedIds = new Set(recorded.map((row) => row.id));

  const triagedRows = new Set((await rows<{ id: string }>(sql, 'SELECT id FROM triage.incident')).map((row) => row.id));
  const triagedEvents = tally(incidentEvents.filter((e) => e.type === 'watchfloor.incident.triaged.v1').map((e) => e.incidentId));

  const updateEvents = incidentEvents.filter((e) => e.type === 'watchfloor.incident.updated.v1');
  const updatesOnStream = tally(updateEvents.map((e) => e.updateId));
  const applied = tally((await rows<{ event_id: string }>(sql, `SELECT event_id FROM triage.incident_timeline WHERE type = 'watchfloor.incident.updated.v1'`)).map((row) => row.event_id));

  const deliveries = await rows<{ id: string; event_id: string; subscription_id: string; status: string }>(sql, 'SELECT id, event_id, subscription_id, status FROM notification.delivery');
  const deliveriesOf = tally(deliveries.map((row) => `${row.subscription_id} ${row.event_id}`));
  const expected = observed.subscriptions.flatMap((sub) => incidentEvents.filter((e) => sub.events.includes(e.type)).map((e) => ({ sub, e })));
  const seen = (row: { id: string; subscription_id: string }) => observed.subscriptions.find((sub) => sub.id === row.subscription_id)?.seen(row.id) ?? 0;

  const streamIds = new Set([...observed.incidentEvents, ...observed.notificationEvents].map((e) => e.id));
  const audited = tally((await rows<{ event_id: string }>(sql, 'SELECT event_id FROM audit.entry')).map((row) => row.event_id));

  const levelsByIncident = new Map<string, number[]>();
  for (const e of incidentEvents.filter((x) => x.type === 'watchfloor.incident.escalated.v1')) levelsByIncident.set(e.incidentId ?? '', [...(levelsByIncident.get(e.incidentId ?? '') ?? []), e.level ?? 0]);
  const stored = await rows<{ id: string; escalation_level: number }>(sql, 'SELECT id, escalation_level FROM triage.incident');
  const deadlines = await checkDeadlines(sql, observed.ackPeriodsS, observed.loadStartedAt);

  const deadLetters = await rows<{ consumer: string; event_id: string | null; error: string }>(
    sql,
    ['intake', 'triage', 'notification', 'audit'].map((schema) => `SELECT consumer, event_id, error FROM ${schema}.dead_letter`).join(' UNION ALL '),
  );

  return [
    invariant('no request answered 500 (a fault the system expects is a 503 with Retry-After)', [...ledger.answers.values()].reduce((a, b) => a + b, 0),
      ledger.answers.has('500') ? [`${ledger.answers.get('500')} answers 500: see the services' failed requests above`] : []),
    invariant('every answered submission recorded by intake under its key, with the id given', answered.length,
      answered.filter(([key, s]) => byKey.get(key) !== s.incidentId).map(([key, s]) => `${key}: answered ${s.incidentId}, recorded ${byKey.get(key) ?? 'nothing'}`)),
    invariant('no incident intake recorded that nobody submitted', recorded.length,
      recorded.filter((row) => !row.idempotency_key || !ledger.submissions.has(row.idempotency_key)).map((row) => row.id)),
    invariant('repeats (same key and body) answered with the first incident', ledger.repeatMismatches.length + answered.length, ledger.repeatMismatches),
    invariant('automation re-sends (same source reference) answered with the first incident', answered.length, ledger.resendMismatches),
    invariant('every recorded incident triaged exactly once (one row, one incident.triaged)', recorded.length,
      recorded.filter((row) => !triagedRows.has(row.id) || triagedEvents.get(row.id) !== 1).map((row) => `${row.id}: row ${triagedRows.has(row.id)}, triaged events ${triagedEvents.get(row.id) ?? 0}`)),
    invariant('triage holds no incident intake did not record', triagedRows.size, [...triagedRows].filter((id) => !recordedIds.has(id))),
    invariant('every answered update announced exactly once', ledger.updates.length,
      ledger.updates.filter((u) => updatesOnStream.get(u.updateId) !== 1).map((u) => `${u.updateId}: ${updatesOnStream.get(u.updateId) ?? 0} events`)),
    invariant('every announced update applied by triage exactly once', updateEvents.length,
      updateEvents.filter((e) => applied.get(e.id) !== 1).map((e) => `${e.id}: applied ${applied.get(e.id) ?? 0} times`)),
    invariant('every routed event in the ledger exactly once per subscription (webhook and e-mail)', expected.length,
      expected.filter(({ sub, e }) => deliveriesOf.get(`${sub.id} ${e.id}`) !== 1).map(({ sub, e }) => `${sub.name} ${e.type} ${e.id}: ${deliveriesOf.get(`${sub.id} ${e.id}`) ?? 0} deliveries`)),
    invariant('every delivery delivered, and received by its endpoint (webhook or SMTP)', deliveries.length,
      deliveries.filter((row) => row.status !== 'delivered' || seen(row) === 0).map((row) => `${row.id}: ${row.status}, received ${seen(row)} times`)),
    invariant('every event on the streams audited exactly once', streamIds.size,
      [...streamIds].filter((id) => audited.get(id) !== 1).map((id) => `${id}: ${audited.get(id) ?? 0} entries`)),
    invariant('audit holds nothing that is not on the streams', audited.size, [...audited.keys()].filter((id) => !streamIds.has(id))),
    invariant('audit chain verifies', 1, observed.chainValid ? [] : ['GET /v1/audit/verify: not valid']),
    invariant(`escalations neither doubled nor unannounced (levels 1..n once each, n stored; ${levelsByIncident.size} incidents escalated)`, stored.length,
      stored.filter((row) => !isOneToN(levelsByIncident.get(row.id) ?? [], row.escalation_level)).map((row) => `${row.id}: stored ${row.escalation_level}, announced ${JSON.stringify(levelsByIncident.get(row.id) ?? [])}`)),
    ...deadlines,
    invariant('dead letters are the poison messages only, each dead-lettered', observed.poisonIds.length,
      [
        ...deadLetters.filter((row) => !row.event_id || !observed.poisonIds.includes(row.event_id)).map((row) => `${row.consumer}: ${row.event_id} ${row.error}`),
        ...observed.poisonIds.filter((id) => !deadLetters.some((row) => row.event_id === id)).map((id) => `poison ${id} not dead-lettered`),
      ]),
    invariant('integrity check: every consumer holds every event', 1, observed.integrityConsistent ? [] : ['npm run integrity: NOT consistent']),
  ];
}

function distinct(events: readonly StreamEvent[]): StreamEvent[] {
  return [...new Map(events.map((e) => [e.id, e])).values()];
}

function isOneToN(levels: number[], stored: number): boolean {
  const sorted = [...levels].sort((a, b) => a - b);
  return sorted.length === stored && sorted.every((level, i) => level === i + 1);
}
