// `npm run bench:event-validation`: what checking one event against the contract costs, in
// process, per event type: as a producer checks it before the outbox (parsed, `validateEvent`)
// and as a consumer checks a message from NATS (bytes: UTF-8, JSON.parse, then the same check).
// Every validator listed in VALIDATORS is timed on the same events, interleaved round by round,
// so a loaded machine slows them alike. No database or broker: pure CPU.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import {
  createEvent,
  EVENT_TYPES,
  normalizeSubmission,
  VALID_PAYLOADS,
  validateEvent,
  validateEventDataWithClassValidator,
  type AnyEvent,
  type EventType,
  type ValidationResult,
} from '@watchfloor/contracts';
import { machineInfo } from './machine';
import { generateSubmissions } from './submissions';

type Validator = (raw: unknown) => ValidationResult<AnyEvent>;

/** The validators compared, by name: the data by class-validator itself (as before 2026-12-06), and compiled (now). */
const VALIDATORS: ReadonlyArray<[name: string, validate: Validator]> = [
  ['class-validator', (raw) => validateEvent(raw, validateEventDataWithClassValidator)],
  ['compiled', (raw) => validateEvent(raw)],
];

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
}

/** Measured rounds (after one to warm up). */
const ROUNDS = option('rounds', 5);
/** Wall time each validator gets per event kind and round. */
const SLICE_MS = option('slice-ms', 200);

const META = {
  source: '/watchfloor/bench',
  subject: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70',
  tlp: 'amber' as const,
  jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
  correlationId: '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f71',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
};

/**
 * Checks per incident in the system bench (docs/BENCHMARKS.md: 2.86 events on INCIDENTS and 2.86
 * on NOTIFICATIONS per incident, 10.6 consumer deliveries): each event is checked once where it is
 * written (parsed) and once by each consumer (received). `reported` is weighed at the bench's own
 * submissions.
 */
const PER_INCIDENT: ReadonlyArray<[kind: string, parsed: number, received: number]> = [
  ['incident.reported.v1, bench submissions', 1, 3], // intake writes; triage, notification, audit consume
  ['incident.triaged.v1', 1, 3], // triage writes; intake, notification, audit consume
  ['incident.correlated.v1', 0.86, 0.86 * 2], // triage writes; notification, audit consume
  ['notification.delivered.v1', 2.86, 2.86], // notification writes one per webhook; audit consumes
];

const asJson = (event: unknown): AnyEvent => JSON.parse(JSON.stringify(event)) as AnyEvent;

/** One valid event of every type (the contract's example payloads), as a consumer parses them. */
function examples(): Array<[string, AnyEvent[]]> {
  return EVENT_TYPES.map((type: EventType) => [type.replace(/^watchfloor\./, ''), [asJson(createEvent(type, VALID_PAYLOADS[type] as never, META))]]);
}

/** `incident.reported` events carrying the system bench's varied submissions (seed 1), normalised as intake publishes them. */
function benchReports(n: number): AnyEvent[] {
  const base = VALID_PAYLOADS['watchfloor.incident.reported.v1'];
  return generateSubmissions(n, 1).map((submission) => {
    const normalized = normalizeSubmission(asJson(submission) as never);
    return asJson(createEvent('watchfloor.incident.reported.v1', { ...base, submission: normalized }, META));
  });
}

/** µs per call of `fn` over `items` in turn, for about `SLICE_MS`. */
function timeSlice(items: readonly unknown[], fn: (item: unknown) => unknown): { calls: number; ms: number } {
  let calls = 0;
  const started = performance.now();
  let now = started;
  while (now - started < SLICE_MS) {
    for (let i = 0; i < 50; i++) fn(items[(calls + i) % items.length]);
    calls += 50;
    now = performance.now();
  }
  return { calls, ms: now - started };
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function main(): void {
  const kinds: Array<[string, AnyEvent[]]> = [...examples(), ['incident.reported.v1, bench submissions', benchReports(200)]];
  for (const [name, events] of kinds) {
    for (const [validator, validate] of VALIDATORS) {
      const refused = events.map((event) => validate(event)).filter((result) => !result.ok);
      if (refused.length > 0) throw new Error(`${validator} refuses a valid ${name}: ${JSON.stringify(refused[0])}`);
    }
  }
  const totals = new Map<string, { calls: number; ms: number }>();
  const add = (key: string, slice: { calls: number; ms: number }) => {
    const sum = totals.get(key) ?? { calls: 0, ms: 0 };
    totals.set(key, { calls: sum.calls + slice.calls, ms: sum.ms + slice.ms });
  };
  for (let round = 0; round < ROUNDS + 1; round++) {
    for (const [name, events] of kinds) {
      const bodies = events.map((event) => encoder.encode(JSON.stringify(event)));
      for (const [validator, validate] of VALIDATORS) {
        const parsed = timeSlice(events, validate);
        const received = timeSlice(bodies, (body) => validate(JSON.parse(decoder.decode(body as Uint8Array))));
        // Round 0 warms up the JIT and is not counted.
        if (round === 0) continue;
        add(`${name}\t${validator}\tparsed`, parsed);
        add(`${name}\t${validator}\treceived`, received);
      }
    }
  }
  const machine = machineInfo();
  process.stdout.write(`# ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage.map((n) => n.toFixed(2)).join(' ')}, ${new Date().toISOString()}\n`);
  process.stdout.write(`# µs per event; "parsed": validateEvent on parsed JSON (the outbox's check); "received": bytes -> UTF-8 -> JSON.parse -> check (a consumer's)\n`);
  process.stdout.write(['event', ...VALIDATORS.flatMap(([validator]) => [`${validator} parsed`, `${validator} received`])].join('\t') + '\n');
  for (const [name] of kinds) {
    const cells = VALIDATORS.flatMap(([validator]) =>
      ['parsed', 'received'].map((mode) => {
        const total = totals.get(`${name}\t${validator}\t${mode}`) as { calls: number; ms: number };
        return ((total.ms * 1000) / total.calls).toFixed(1);
      }),
    );
    process.stdout.write([name, ...cells].join('\t') + '\n');
  }
  const perEvent = (kind: string, validator: string, mode: string) => {
    const total = totals.get(`${kind}\t${validator}\t${mode}`) as { calls: number; ms: number };
    return (total.ms * 1000) / total.calls;
  };
  const perIncident = VALIDATORS.map(([validator]) => {
    const us = PER_INCIDENT.reduce((sum, [kind, parsed, received]) => sum + parsed * perEvent(kind, validator, 'parsed') + received * perEvent(kind, validator, 'received'), 0);
    return `${validator} ${us.toFixed(0)} µs`;
  });
  process.stdout.write(`per incident of the system bench (${PER_INCIDENT.reduce((sum, [, parsed, received]) => sum + parsed + received, 0).toFixed(1)} checks): ${perIncident.join(', ')}\n`);
}

main();
