import { randomUUID } from 'node:crypto';
import { devToken, type CallerClaims } from './api-client';
import { operationsOf } from './route-access';

/**
 * Object-level authorization (OWASP API1) of one service, as a table: each row calls one
 * `:id` route on one real object as one caller and says what must come back.
 */
export interface ObjectAccessCase {
  /** `METHOD /path/:param` exactly as docs/access.md names it. */
  route: string;
  /** A key of {@link ObjectAccessSubject.objects}. */
  object: string;
  /** A key of the spec's `callers`. */
  as: string;
  /**
   * The status. 404 means "out of the caller's scope": the answer must be the very one a
   * non-existent id gets (nothing revealed) and nothing may change. Any other 4xx must change
   * nothing either; a 2xx is a caller let through.
   */
  expect: number;
  /** The body of a write; defaults to the spec's `bodies[route]`. */
  body?: unknown;
  /** Why, when the row is not obvious (shown in the test name). */
  because?: string;
}

/** The service running with its objects made, as the table needs it. */
export interface ObjectAccessSubject {
  url: string;
  /** Ids of the objects the table names, made through the service's real paths. */
  objects: Record<string, string>;
  /**
   * What a refused request must not change, as plain data compared before and after it:
   * the objects' rows and versions, the outbox. It should wait for work in flight to settle.
   */
  state(): Promise<unknown>;
  close(): Promise<void>;
}

/** How to run one service's object-level table. */
export interface ObjectAccessSpec {
  /** Starts the service and makes the objects. */
  setUp(): Promise<ObjectAccessSubject>;
  /** The callers of the table, by name (give each a fixed `sub`: ownership is by subject). */
  callers: Record<string, CallerClaims>;
  /**
   * A valid body for each write route: a refused write must be refused for its object, not
   * for its body (validation runs before the object is looked up).
   */
  bodies?: Record<string, unknown>;
  cases: readonly ObjectAccessCase[];
  /**
   * Routes with a path parameter where no caller the role check admits is refused for an
   * object (e.g. triage staff see every incident), with the rule that says so. Every other
   * route with a path parameter needs a refused (404) row.
   */
  unscoped?: Record<string, string>;
  /** Routes whose path parameter names no object (e.g. an exercise to purge), with why. */
  notObjects?: Record<string, string>;
}

interface Answer {
  status: number;
  body: Record<string, unknown> | undefined;
}

/**
 * The object-level tests of one service: every route with a path parameter in its OpenAPI
 * document is in the table (a new `:id` route without rows fails), each with a caller let
 * through and, unless {@link ObjectAccessSpec.unscoped}, one refused; each refused row gets
 * 404 exactly like an id that does not exist, and changes nothing; each admitted row gets its
 * status. Refused rows run first (they compare the state before and after), then the
 * admitted ones in table order, so put rows that delete or change things last.
 */
export function describeObjectAccess(service: string, spec: ObjectAccessSpec): void {
  describe(`${service}: object-level authorization (OWASP API1)`, () => {
    let subject: ObjectAccessSubject;
    const tokens = new Map<string, string>();

    beforeAll(async () => {
      subject = await spec.setUp();
      for (const [name, claims] of Object.entries(spec.callers)) tokens.set(name, await devToken(claims));
    });
    afterAll(() => subject?.close());

    const call = async (row: ObjectAccessCase, id: string): Promise<Answer> => {
      const [method = '', path = ''] = row.route.split(' ');
      const token = tokens.get(row.as);
      if (!token) throw new Error(`no caller "${row.as}" in the table's callers`);
      const body = row.body ?? spec.bodies?.[row.route];
      const response = await fetch(`${subject.url}${path.replace(/:\w+/g, encodeURIComponent(id))}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: text && (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as Record<string, unknown>) : undefined };
    };
    const idOf = (row: ObjectAccessCase): string => {
      const id = subject.objects[row.object];
      if (!id) throw new Error(`no object "${row.object}" was made by setUp`);
      return id;
    };
    const title = (row: ObjectAccessCase) => `${row.route} on ${row.object} as ${row.as}: ${row.expect}${row.because ? ` (${row.because})` : ''}`;

    it('has rows for every route with a path parameter in its OpenAPI document', async () => {
      const document = (await (await fetch(`${subject.url}/docs/json`)).json()) as Parameters<typeof operationsOf>[0];
      const routes = operationsOf(document)
        .map((op) => `${op.method} ${op.path}`)
        .filter((route) => route.includes(':') && !(route in (spec.notObjects ?? {})));
      const missing = routes.flatMap((route) => {
        const rows = spec.cases.filter((row) => row.route === route);
        const gaps: string[] = [];
        if (!rows.some((row) => row.expect < 300)) gaps.push(`${route}: no caller let through`);
        if (!(route in (spec.unscoped ?? {})) && !rows.some((row) => row.expect === 404)) gaps.push(`${route}: no caller refused (or say in unscoped why none is)`);
        return gaps;
      });
      const unknown = spec.cases.map((row) => row.route).filter((route) => !routes.includes(route));
      expect({ missing, unknown: [...new Set(unknown)] }).toEqual({ missing: [], unknown: [] });
    });

    for (const row of spec.cases.filter((r) => r.expect >= 400)) {
      it(`refuses ${title(row)}, changing nothing`, async () => {
        const before = await subject.state();
        const answer = await call(row, idOf(row));
        expect(answer.status).toBe(row.expect);
        if (row.expect === 404) {
          // Out of scope must read exactly like "no such object": same status, code and words.
          const ghost = randomUUID();
          const nonexistent = await call(row, ghost);
          expect(comparable(answer, idOf(row))).toEqual(comparable(nonexistent, ghost));
        }
        expect(await subject.state()).toEqual(before);
      });
    }

    for (const row of spec.cases.filter((r) => r.expect < 400)) {
      it(`lets through ${title(row)}`, async () => {
        const answer = await call(row, idOf(row));
        expect({ status: answer.status, body: answer.status === row.expect ? undefined : answer.body }).toEqual({ status: row.expect, body: undefined });
      });
    }
  });
}

/** A problem answer without what differs per request (correlation id) and with the id made generic. */
function comparable(answer: Answer, id: string) {
  const { correlationId: _correlationId, ...problem } = answer.body ?? {};
  return { status: answer.status, problem: JSON.parse(JSON.stringify(problem).split(id).join('<id>')) as unknown };
}
