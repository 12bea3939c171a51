import { isUUID } from 'class-validator';
import { exerciseOfData } from '../exercise/exercise-id';
import { isOcdId } from '../jurisdiction/ocd-id';
import { isTlp } from '../tlp';
import type { FieldError, ValidationResult } from '../validation/result';
import { compileChecker, type CompiledChecker } from '../validation/compiled-checker';
import { isTimestamp } from '../validation/rules';
import { validateInstance } from '../validation/validate';
import { EVENT_CATALOGUE, isEventType, type AnyEvent, type EventPayloadMap, type EventType } from './catalogue';

/** Checks an event's data against its type's payload class. */
export type EventDataValidator = <K extends EventType>(type: K, data: unknown) => ValidationResult<EventPayloadMap[K]>;

/** One compiled checker per event type, made on first use. */
const checkers = new Map<EventType, CompiledChecker<object>>();

/**
 * Validates an event payload against its type's class (whitelist, nested classes), without
 * rules that read the clock. Never throws for bad data; a failure means dead-letter. Runs the
 * class's rules compiled ({@link compileChecker}): the same verdicts and errors as
 * class-validator ({@link validateEventDataWithClassValidator}), several times faster. The
 * value is the checked data itself, not a class instance.
 */
export const validateEventData: EventDataValidator = <K extends EventType>(type: K, data: unknown) => {
  let checker = checkers.get(type);
  if (!checker) {
    checker = compileChecker(EVENT_CATALOGUE[type].payload as new () => object, { clockRules: false });
    checkers.set(type, checker);
  }
  return checker(data) as ValidationResult<EventPayloadMap[K]>;
};

/**
 * {@link validateEventData} by class-transformer and class-validator themselves, as events
 * were checked before the compiled checker: the reference it is proven equal to, and the
 * baseline of `npm run bench:event-validation`. Its value is a payload class instance.
 */
export const validateEventDataWithClassValidator: EventDataValidator = <K extends EventType>(type: K, data: unknown) => {
  const payload: new () => EventPayloadMap[K] = EVENT_CATALOGUE[type].payload;
  return validateInstance(payload, data, { clockRules: false });
};

const TRACEPARENT_PATTERN = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const MAX_ATTRIBUTE_LENGTH = 256;

function isBoundedString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ATTRIBUTE_LENGTH;
}

/** The attributes a Watchfloor event has; any other is a CloudEvents extension. */
const KNOWN_ATTRIBUTES = new Set(['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'tlp', 'jurisdiction', 'correlationid', 'traceparent', 'exercise', 'data']);
/** CloudEvents 1.0: lower-case ASCII letters and digits, and "SHOULD NOT exceed 20 characters". */
const EXTENSION_NAME = /^[a-z0-9]{1,20}$/;
const MAX_EXTENSIONS = 16;

/**
 * Extension attributes a producer added: CloudEvents allows them, with names of lower-case
 * letters and digits and scalar values. Held to that, and bounded, because consumers keep
 * the envelope (audit records it as received): an unchecked attribute is where a hostile
 * producer would put a megabyte, or a structure nested beyond any parser's stack.
 */
function extensionErrors(event: Record<string, unknown>): FieldError[] {
  const extensions = Object.keys(event).filter((name) => !KNOWN_ATTRIBUTES.has(name));
  if (extensions.length > MAX_EXTENSIONS) return [{ field: '', message: `event has ${extensions.length} extension attributes; at most ${MAX_EXTENSIONS}` }];
  return extensions.flatMap((name): FieldError[] => {
    // A hostile name is itself the payload: name it only as far as it is readable.
    const field = name.slice(0, 40);
    if (!EXTENSION_NAME.test(name)) return [{ field, message: `${field} is not a CloudEvents attribute name (1 to 20 lower-case letters and digits)` }];
    const value = event[name];
    const scalar = typeof value === 'boolean' || Number.isSafeInteger(value) || (typeof value === 'string' && value.length <= MAX_ATTRIBUTE_LENGTH);
    return scalar ? [] : [{ field, message: `${field} must be a boolean, an integer or a string of at most ${MAX_ATTRIBUTE_LENGTH} characters` }];
  });
}

function envelopeErrors(event: Record<string, unknown>): FieldError[] {
  const checks: [field: string, valid: boolean, message: string][] = [
    ['specversion', event['specversion'] === '1.0', 'must be 1.0'],
    ['id', typeof event['id'] === 'string' && isUUID(event['id']), 'must be a UUID'],
    ['source', isBoundedString(event['source']) && event['source'].startsWith('/'), 'must be a path such as /watchfloor/intake'],
    ['type', isEventType(event['type']), 'must be an event type of the catalogue'],
    ['subject', isBoundedString(event['subject']), 'must be a non-empty string'],
    ['time', isTimestamp(event['time']), 'must be an ISO 8601 date-time'],
    ['datacontenttype', event['datacontenttype'] === 'application/json', 'must be application/json'],
    ['dataschema', isEventType(event['type']) && event['dataschema'] === EVENT_CATALOGUE[event['type']].schemaUrl, "must be the type's schema URL"],
    ['tlp', isTlp(event['tlp']), 'must be a TLP label'],
    ['jurisdiction', isOcdId(event['jurisdiction']), 'must be an OCD-ID'],
    ['correlationid', isBoundedString(event['correlationid']), 'must be a non-empty string'],
    ['traceparent', event['traceparent'] === undefined || (typeof event['traceparent'] === 'string' && TRACEPARENT_PATTERN.test(event['traceparent'])), 'must be a W3C traceparent'],
  ];
  return [...checks.filter(([, valid]) => !valid).map(([field, , message]) => ({ field, message: `${field} ${message}` })), ...extensionErrors(event)];
}

/**
 * Validates a whole received CloudEvent (parsed JSON): envelope attributes, then the data
 * for its type (errors named `data.<path>`). The value's `data` is a payload class instance.
 * Unknown envelope attributes are allowed as CloudEvents extensions: named as CloudEvents
 * names them, with scalar values, at most 16.
 */
export function validateEvent(raw: unknown, validateData: EventDataValidator = validateEventData): ValidationResult<AnyEvent> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [{ field: '', message: 'event must be a JSON object' }] };
  }
  const event = raw as Record<string, unknown>;
  const errors = envelopeErrors(event);
  if (!isEventType(event['type'])) return { ok: false, errors };
  const data = validateData(event['type'], event['data']);
  if (!data.ok) errors.push(...data.errors.map(({ field, message }) => ({ field: field === '' ? 'data' : `data.${field}`, message })));
  // The attribute repeats the data's exercise; a message where they differ would be routed as one and handled as the other.
  if (event['exercise'] !== exerciseOfData(event['data'])) errors.push({ field: 'exercise', message: 'exercise must repeat the exercise of the data (absent when the data has none)' });
  if (errors.length > 0 || !data.ok) return { ok: false, errors };
  return { ok: true, value: { ...event, data: data.value } as AnyEvent };
}
