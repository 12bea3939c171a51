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
  let result: ReturnType<typeof validateEvent>;
  try {
    result = validateEvent(candidate);
  } catch (error) {
    // The contract never throws for bad data; if a rule ever does, the message is still one
    // to dead-letter, not one to crash on and be redelivered for ever.
    return { ok: false, errors: [{ field: '', message: `event could not be validated: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  return result.ok ? { ok: true, event: result.value } : { ok: false, errors: result.errors, claimed: claimedIdentity(candidate) };
}

/**
 * Why a valid event may not be taken from `baseSubject` (the subject without namespace), or
 * undefined: an event belongs on its type's subject for its jurisdiction's state. Subjects are
 * what NATS permissions and automations' filters go by, so a producer that may publish only
 * Georgia's subjects must not get a Pennsylvania event (or another type) in through one.
 */
export function misrouting(event: ValidEvent, baseSubject: string): string | undefined {
  let expected: string;
  try {
    expected = baseSubjectOf(event);
  } catch {
    return `no subject for jurisdiction ${event.jurisdiction}`;
  }
  return expected === baseSubject ? undefined : `${event.type} of ${event.jurisdiction} belongs on ${expected}, not ${baseSubject}`;
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
