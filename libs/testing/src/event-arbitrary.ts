import fc from 'fast-check';
import { createEvent, EVENT_CATALOGUE, stateToken, subjectFor, validateEvent, VALID_PAYLOADS, type AnyEvent, type EventType } from '@watchfloor/contracts';
import { FULTON } from './factories';
import { hostileValue, mutationArbitrary, smuggledKey } from './schema-arbitrary';

/** A message as a producer puts it on NATS: subject (without namespace), body bytes, headers. */
export interface RawEventMessage {
  /** e.g. `incident.reported.ga`. */
  subject: string;
  body: Uint8Array;
  headers: Record<string, string>;
}

/** A valid event of `type` (the contract's example payload), as JSON would carry it. */
export function eventExample<K extends EventType>(type: K, overrides: { jurisdiction?: string } = {}): AnyEvent {
  const payload = VALID_PAYLOADS[type];
  const event = createEvent(type, payload, {
    source: '/watchfloor/test',
    subject: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70',
    tlp: 'amber',
    jurisdiction: overrides.jurisdiction ?? FULTON,
    correlationId: 'hostile-producer',
  });
  return JSON.parse(JSON.stringify(event)) as AnyEvent;
}

/** Where an event of `type` about Fulton County belongs: `incident.reported.ga`, `notification.subscription.us`. */
function subjectOf(type: EventType): string {
  const { subjectBase, nationalOnly } = EVENT_CATALOGUE[type];
  return `${subjectBase}.${nationalOnly ? 'us' : 'ga'}`;
}

/**
 * Nesting deeper than any recursion: JSON.parse takes it, a recursive validator overflows. As a
 * placeholder until the body is written, since JSON.stringify itself recurses.
 */
const deeplyNested = fc.integer({ min: 5_000, max: 20_000 }).map((depth) => `deep-nesting:${depth}:placeholder`);
const DEEP_NESTING = /"deep-nesting:(\d+):placeholder"/g;

/** What a hostile producer puts in a field: the HTTP tests' hostile values, and nesting to blow a stack. */
export const hostileEventValue = fc.oneof({ weight: 9, arbitrary: hostileValue }, { weight: 1, arbitrary: deeplyNested });

/** Keys a hostile producer slips into an event's objects: the HTTP tests' keys, and names of Object.prototype's methods, which class-transformer drops unseen. */
export const smuggledEventKey = fc.oneof({ weight: 4, arbitrary: smuggledKey }, { weight: 1, arbitrary: fc.constantFrom('toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', '__defineGetter__') });

/** Mutations of `example` as a hostile producer makes them (see {@link eventMessages}); bodies with deep nesting go through {@link eventBody}. */
export function eventMutations(example: unknown): fc.Arbitrary<unknown> {
  return mutationArbitrary(example, hostileEventValue, smuggledEventKey);
}

const encoder = new TextEncoder();
/** A message body of `value`, with its deep-nesting placeholders written out. */
export const eventBody = (value: unknown): Uint8Array =>
  encoder.encode((JSON.stringify(value) ?? 'null').replace(DEEP_NESTING, (_, depth: string) => `${'['.repeat(Number(depth))}${']'.repeat(Number(depth))}`));

/** Header values a producer may send (nats.js refuses CR and LF; NUL and anything else pass). */
const hostileHeaderValue = fc.oneof(
  fc.constantFrom('', 'null', '00-zz-zz-00', 'watchfloor.incident.reported.v2', 'red', 'ocd-division/country:ca', `a${String.fromCharCode(0)}b`, 'x'.repeat(4_000)),
  fc.uuid(),
  fc.string({ maxLength: 40 }),
).map((value) => value.replace(/[\r\n]/g, ' '));

/** Headers: none, or hostile values under the names the services read (and one they do not). */
const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  {
    weight: 2,
    arbitrary: fc.dictionary(fc.constantFrom('Nats-Msg-Id', 'ce-type', 'tlp', 'jurisdiction', 'correlation-id', 'traceparent', 'exercise', 'x-smuggled'), hostileHeaderValue, { maxKeys: 4 }),
  },
);

/**
 * Messages a compromised or buggy producer could put on the subjects of `types`, bypassing
 * the typed publisher: valid events of those types as they are or mutated anywhere in envelope
 * or data (values replaced by hostile ones, fields removed, unknown keys including `__proto__`,
 * nesting thousands deep), JSON that is no object, text that is not JSON, bytes that are not
 * UTF-8, valid events on another type's or state's subject, all with hostile headers now and
 * then. Some are valid: {@link hostileEventMessages} keeps only the others.
 */
export function eventMessages(types: readonly EventType[]): fc.Arbitrary<RawEventMessage> {
  if (types.length === 0) throw new Error('no event types to send');
  const examples = types.map((type) => ({ type, example: eventExample(type) }));
  const subjects = types.map(subjectOf);
  const subject = fc.constantFrom(...subjects);
  const mutated = fc.constantFrom(...examples).chain(({ type, example }) => eventMutations(example).map((value) => ({ subject: subjectOf(type), body: eventBody(value) })));
  const misrouted = fc
    .tuple(fc.constantFrom(...examples), fc.constantFrom(...subjects), fc.constantFrom('ga', 'pa', 'us', 'GA', 'ga.extra', '_'))
    .map(([{ example }, other, token]) => ({ subject: `${other.slice(0, other.lastIndexOf('.'))}.${token}`, body: eventBody(example) }));
  const notAnEvent = fc.tuple(
    subject,
    fc.oneof(
      fc.string({ maxLength: 80 }).map((text) => encoder.encode(text)),
      fc.uint8Array({ minLength: 1, maxLength: 80 }),
      hostileValue.map(eventBody),
      fc.constantFrom(encoder.encode('{"specversion":"1.0","id":'), encoder.encode(`${'['.repeat(100_000)}`), new Uint8Array([0xff, 0xfe, 0x7b, 0x7d])),
    ),
  ).map(([where, body]) => ({ subject: where, body }));
  return fc
    .tuple(fc.oneof({ weight: 12, arbitrary: mutated }, { weight: 2, arbitrary: misrouted }, { weight: 3, arbitrary: notAnEvent }), hostileHeaders)
    .map(([message, headers]) => ({ ...message, headers }));
}

/** {@link eventMessages} that the contract refuses ({@link isRefused}): what a consumer must dead-letter. */
export function hostileEventMessages(types: readonly EventType[]): fc.Arbitrary<RawEventMessage> {
  return eventMessages(types).filter(isRefused);
}

/**
 * Whether a consumer of `message.subject` must refuse it: not UTF-8 JSON, not a valid event, or
 * not on the subject of its type and state. Decided from the contract alone (not the messaging
 * lib's own check, which is what the tests try), and libs/testing may not import messaging.
 */
export function isRefused(message: Pick<RawEventMessage, 'subject' | 'body'>): boolean {
  try {
    const result = validateEvent(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(message.body)));
    return !result.ok || belongsOn(result.value) !== message.subject;
  } catch {
    return true;
  }
}

/** The subject (without namespace) an event belongs on: `incident.reported.ga`. */
export function belongsOn(event: Pick<AnyEvent, 'type' | 'jurisdiction'>): string {
  return subjectFor(event.type, stateToken(event.jurisdiction));
}

/** A short, printable description of a message for a failure report. */
export function describeMessage(message: RawEventMessage): string {
  const body = Buffer.from(message.body).toString('utf8');
  const shown = body.replace(/(.)\1{40,}/g, (run, char: string) => `${char}…(${run.length} times)`).slice(0, 400);
  return `${message.subject} ${JSON.stringify(message.headers).slice(0, 200)} ${shown}`;
}
