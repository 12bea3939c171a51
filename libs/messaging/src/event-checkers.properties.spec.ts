import fc from 'fast-check';
import {
  contractJsonSchemas,
  createEvent,
  EVENT_CATALOGUE,
  EVENT_TYPES,
  validateEvent,
  validateEventDataWithClassValidator,
  type AnyEvent,
  type EventType,
  type JsonSchema,
} from '@watchfloor/contracts';
import { eventBody, eventExample, eventMessages, eventMutations, schemaArbitrary } from '@watchfloor/testing';

// Every event is checked by the checker compiled from the payload classes' class-validator
// metadata (libs/contracts/src/validation/compiled-checker.ts). Here it is held to class-validator
// itself: for every event type, the same verdict, the same errors (fields, messages and order:
// dead letters and logs carry them all) and, when accepted, the same event. Here rather than in
// the contracts, which may not import the generators of libs/testing.
const RUNS = Number(process.env['FC_RUNS'] ?? 150);

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Both verdicts on the same bytes, each on its own parse (neither may lean on the other's). */
function bothVerdicts(body: Uint8Array): { compiled: unknown; reference: unknown } | undefined {
  let text: string;
  try {
    text = decoder.decode(body);
    JSON.parse(text);
  } catch {
    return undefined;
  }
  const asJson = (result: ReturnType<typeof validateEvent>) => (result.ok ? { ok: true, value: JSON.parse(JSON.stringify(result.value)) as unknown } : result);
  return {
    compiled: asJson(validateEvent(JSON.parse(text))),
    reference: asJson(validateEvent(JSON.parse(text), validateEventDataWithClassValidator)),
  };
}

function expectSameVerdicts(body: Uint8Array): void {
  const verdicts = bothVerdicts(body);
  if (verdicts) expect(verdicts.compiled).toEqual(verdicts.reference);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The valid `example` with some of its fields, at any depth, taken from `random` instead (or
 * left out where `random` has none): random data that mostly passes, so that every rule is
 * reached with valid siblings around it. `coins` says, field by field, which side to take.
 */
function blend(example: unknown, random: unknown, coins: readonly boolean[], next = { coin: 0 }): unknown {
  if (!isRecord(example) || !isRecord(random)) return coins[next.coin++ % coins.length] ? random : example;
  const blended: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(example), ...Object.keys(random)])) {
    const value = key in example ? (key in random ? blend(example[key], random[key], coins, next) : coins[next.coin++ % coins.length] ? undefined : example[key]) : coins[next.coin++ % coins.length] ? random[key] : undefined;
    if (value !== undefined) blended[key] = value;
  }
  return blended;
}

/** Random payloads of `type`: from its JSON Schema (mostly conforming, now and then a hostile value), blended into the valid example, in a valid envelope. */
function randomEvents(type: EventType): fc.Arbitrary<AnyEvent> {
  const schemas = contractJsonSchemas();
  const payload = EVENT_CATALOGUE[type].payload;
  const schema: JsonSchema = schemas[payload.name] ?? { $ref: `#/components/schemas/${Object.getPrototypeOf(payload).name}` };
  const example = eventExample(type);
  // Mostly false: a few fields random, the rest from the example.
  const coins = fc.array(fc.boolean().chain((often) => (often ? fc.boolean() : fc.constant(false))), { minLength: 1, maxLength: 64 });
  return fc.tuple(schemaArbitrary(schema, schemas), coins).map(([data, flips]) => {
    const event = createEvent(type, blend(example.data, data, flips) as never, { source: example.source, subject: example.subject, tlp: example.tlp, jurisdiction: example.jurisdiction, correlationId: example.correlationid });
    return JSON.parse(JSON.stringify(event)) as AnyEvent;
  });
}

/** A failure, short: the bodies hold values of 70,000 characters, which fast-check's own report would print as bytes. */
const failureReport = (details: fc.RunDetails<[Uint8Array]>) => {
  if (!details.failed) return;
  const shorten = (text: string) => text.replace(/(.)\1{40,}/g, (run, char: string) => `${char}…(${run.length} times)`).slice(0, 3_000);
  const body = details.counterexample ? shorten(Buffer.from(details.counterexample[0]).toString('utf8')) : '?';
  throw new Error(`failed after ${details.numRuns} runs (seed ${details.seed}, path ${details.counterexamplePath ?? '?'}):\n${shorten(String(details.errorInstance))}\nbody: ${body}`);
};

describe('the compiled event checker gives the verdicts and errors of class-validator', () => {
  it.each(EVENT_TYPES)('%s: hostile messages (the event property tests\' mutations of the example, non-events, misrouted)', (type) => {
    fc.assert(
      fc.property(eventMessages([type]).map((message) => message.body), expectSameVerdicts),
      { numRuns: RUNS, reporter: failureReport },
    );
  });

  it.each(EVENT_TYPES)('%s: random payloads from its schema, and mutations of them', (type) => {
    const events = randomEvents(type);
    const bodies = fc.oneof(events, events.chain(eventMutations)).map(eventBody);
    fc.assert(fc.property(bodies, expectSameVerdicts), { numRuns: RUNS, reporter: failureReport });
  });

  it.each(EVENT_TYPES)('%s: the random events reach past the first rule (some are accepted, some refused)', (type) => {
    // Guards the property above against passing vacuously.
    const verdicts = fc.sample(randomEvents(type), { numRuns: 100, seed: 42 }).map((event) => validateEvent(event).ok);
    expect(verdicts).toContain(true);
    expect(verdicts).toContain(false);
  });
});
