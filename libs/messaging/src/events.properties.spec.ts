import fc from 'fast-check';
import { EVENT_TYPES, validateEvent } from '@watchfloor/contracts';
import { describeMessage, eventMessages } from '@watchfloor/testing';
import { misrouting, parseEvent } from './events';

// Issue 13, OWASP API10: what a consumer does first with a message from NATS (parse, then the
// contract) is total. Here rather than in the contracts, which may not import the generators of libs/testing.
const RUNS = Number(process.env['FC_RUNS'] ?? 40);
const ATTRIBUTE_NAME = /^[a-z0-9]{1,20}$/;

describe('a message from NATS, parsed and checked against the contract', () => {
  it.each(EVENT_TYPES)('%s: random and mutated bodies are refused with field errors or accepted as the contract says, never a throw', (type) => {
    fc.assert(
      fc.property(eventMessages([type]), (message) => {
        const check = parseEvent(message.body);
        if (!check.ok) {
          expect(check.errors.length).toBeGreaterThan(0);
          for (const error of check.errors) {
            expect(typeof error.field).toBe('string');
            expect(typeof error.message).toBe('string');
            // Errors go into dead letters and logs: they must not carry the payload back.
            expect(error.message.length).toBeLessThan(1_000);
          }
          return;
        }
        const { event } = check;
        const received = JSON.parse(Buffer.from(message.body).toString('utf8')) as Record<string, unknown>;
        // The data handed on is the data received, checked where it lies (no copy into class instances).
        expect(event.data).toEqual(received['data']);
        // Lossless: what was accepted is all that was received, nothing dropped unseen (audit keeps the raw JSON).
        expect(JSON.parse(JSON.stringify(event))).toEqual(received);
        // Idempotent: the accepted event, sent on, is accepted again as the same event.
        const again = validateEvent(JSON.parse(JSON.stringify(event)));
        expect(again.ok && JSON.parse(JSON.stringify(again.value))).toEqual(received);
        // Extension attributes as CloudEvents names them, with scalar values.
        for (const [name, value] of Object.entries(received).filter(([name]) => !(name in eventWithoutExtensions))) {
          expect(name).toMatch(ATTRIBUTE_NAME);
          expect(['string', 'number', 'boolean']).toContain(typeof value);
        }
        // A consumer can always tell where it belongs.
        expect(() => misrouting(event, message.subject)).not.toThrow();
      }),
      {
        numRuns: RUNS,
        reporter: (details) => {
          if (details.failed) throw new Error(`${fc.defaultReportMessage(details) ?? ''}\nmessage: ${details.counterexample ? describeMessage(details.counterexample[0]) : '?'}`);
        },
      },
    );
  });
});

const eventWithoutExtensions = Object.fromEntries(
  ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'dataschema', 'tlp', 'jurisdiction', 'correlationid', 'traceparent', 'exercise', 'data'].map((name) => [name, true]),
);
