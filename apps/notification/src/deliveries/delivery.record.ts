import type { DeliveryChannel, DeliveryStatus, EventType, Tlp } from '@watchfloor/contracts';

/** A delivery as the API shows it. */
export interface DeliveryView {
  /** Also the `webhook-id` header, stable across retries. */
  id: string;
  eventId: string;
  eventType: EventType;
  incidentId: string | null;
  subscriptionId: string;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastHttpStatus: number | null;
  lastAttemptAt: string | null;
  /** When the next attempt is due (pending and failed only). */
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  /** From the event's publication to its delivery. */
  latencyMs: number | null;
  createdAt: string;
  /** The exercise of the event, for exercise traffic. */
  exercise?: string;
}

/** A delivery claimed by this replica's sender, with what it needs to make the attempt. */
export interface ClaimedDelivery {
  id: string;
  claimToken: string;
  eventId: string;
  eventType: EventType;
  incidentId?: string;
  tlp: Tlp;
  jurisdiction: string;
  publishedAt: Date;
  /** The redacted CloudEvent, exactly the bytes to send. */
  body: string;
  exercise?: string;
  /** The span that routed the event: the attempt's span continues it. */
  traceparent?: string;
  subscriptionId: string;
  channel: DeliveryChannel;
  target: string;
  sealedSecret?: string;
  sealedPreviousSecret?: string;
  previousSecretExpiresAt?: Date;
  /** Attempts ever made, this one included. */
  attempts: number;
  /** Attempts since the last manual retry, this one included. */
  attemptOfBudget: number;
}

const iso = (value: unknown): string | null => (value instanceof Date ? value.toISOString() : null);

/** Maps a `delivery` row (joined with its event's type). */
export function toDeliveryView(row: Record<string, unknown>): DeliveryView {
  const status = row['status'] as DeliveryStatus;
  return {
    id: row['id'] as string,
    eventId: row['event_id'] as string,
    eventType: row['type'] as EventType,
    incidentId: (row['incident_id'] as string | null) ?? null,
    subscriptionId: row['subscription_id'] as string,
    channel: row['channel'] as DeliveryChannel,
    status,
    attempts: row['attempts'] as number,
    lastError: (row['last_error'] as string | null) ?? null,
    lastHttpStatus: (row['last_http_status'] as number | null) ?? null,
    lastAttemptAt: iso(row['last_attempt_at']),
    nextAttemptAt: status === 'pending' || status === 'failed' ? iso(row['next_attempt_at']) : null,
    deliveredAt: iso(row['delivered_at']),
    latencyMs: (row['latency_ms'] as number | null) ?? null,
    createdAt: iso(row['created_at']) ?? '',
    ...(row['exercise'] ? { exercise: row['exercise'] as string } : {}),
  };
}

/** Maps a row returned by the claim. */
export function toClaimedDelivery(row: Record<string, unknown>): ClaimedDelivery {
  const opt = <T>(key: string): T | undefined => (row[key] === null || row[key] === undefined ? undefined : (row[key] as T));
  return {
    id: row['id'] as string,
    claimToken: row['claim_token'] as string,
    eventId: row['event_id'] as string,
    eventType: row['type'] as EventType,
    incidentId: opt<string>('incident_id'),
    tlp: row['tlp'] as Tlp,
    jurisdiction: row['jurisdiction'] as string,
    publishedAt: row['published_at'] as Date,
    body: row['body'] as string,
    exercise: opt<string>('exercise'),
    traceparent: opt<string>('traceparent'),
    subscriptionId: row['subscription_id'] as string,
    channel: row['channel'] as DeliveryChannel,
    target: row['target'] as string,
    sealedSecret: opt<string>('secret'),
    sealedPreviousSecret: opt<string>('previous_secret'),
    previousSecretExpiresAt: opt<Date>('previous_secret_expires_at'),
    attempts: row['attempts'] as number,
    attemptOfBudget: row['budget_used'] as number,
  };
}
