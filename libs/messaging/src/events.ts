import {
  stateToken,
  subjectFor,
  validateEvent,
  type AnyEvent,
  type CloudEvent,
  type EventType,
  type FieldError,
} from '@watchfloor/contracts';

/** An event whose envelope and data passed the contract (`data` is the payload class instance). */
export type ValidEvent = AnyEvent;

/** What an invalid event says about itself (unchecked), for dead letters. */
export interface ClaimedIdentity {
  id?: string;
  type?: string;
}

/** Outcome of checking an untrusted event against the contract. */
export type EventCheck = { ok: true; event: ValidEvent } | { ok: false; errors: FieldError[]; claimed?: ClaimedIdentity };

function claimedIdentity(candidate: unknown): ClaimedIdentity {
  if (typeof candidate !== 'object' || candidate === null) return {};
  const { id, type } = candidate as Record<string, unknown>;
  return { ...(typeof id === 'string' ? { id } : {}), ...(typeof type === 'string' ? { type } : {}) };
}

/**
 * Checks an untrusted value (a parsed message body, or an event about to be written)
 * against the contract: the CloudEvents envelope with Watchfloor's extensions, then the
 * payload class of its type. Never throws.
 */
export function checkEvent(candidate: unknown): EventCheck {
  const result = validateEvent(candidate);
  return result.ok ? { ok: true, event: result.value } : { ok: false, errors: result.errors, claimed: claimedIdentity(candidate) };
}

/** Parses a message body (UTF-8 JSON) and checks it with {@link checkEvent}. Never throws. */
export function parseEvent(body: Uint8Array): EventCheck {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, errors: [{ field: '', message: 'body is not UTF-8 JSON' }] };
  }
  return checkEvent(parsed);
}

/** Problems as one line, for errors and dead letters. */
export function describeProblems(errors: readonly FieldError[]): string {
  return errors.map((e) => (e.message.startsWith(e.field) || !e.field ? e.message : `${e.field}: ${e.message}`)).join('; ');
}

/** The unprefixed subject an event is published on: `incident.reported.ga`. */
export function baseSubjectOf(event: Pick<CloudEvent<EventType>, 'type' | 'jurisdiction'>): string {
  return subjectFor(event.type, stateToken(event.jurisdiction));
}

/** Thrown when code tries to write an event that breaks the contract: a bug, never retried. */
export class InvalidEventError extends Error {
  constructor(
    readonly eventType: string,
    readonly errors: FieldError[],
  ) {
    super(`invalid ${eventType} event: ${describeProblems(errors)}`);
    this.name = 'InvalidEventError';
  }
}

/** Returns the event checked against the contract, or throws {@link InvalidEventError}. */
export function assertValidEvent(event: CloudEvent<EventType, unknown>): ValidEvent {
  const check = checkEvent(event);
  if (!check.ok) throw new InvalidEventError(String(event.type), check.errors);
  return check.event;
}
