import fc from 'fast-check';
import { Client } from 'pg';
import { devToken } from './api-client';
import { rowCounts } from './row-counts';
import { mutationArbitrary, schemaArbitrary, type JsonSchema, type SchemaComponents } from './schema-arbitrary';
import { startServiceUnderTest, type CreateApp, type ServiceUnderTest } from './service-under-test';

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  schema?: JsonSchema;
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: SchemaComponents };
}

/** One request a property sends. */
interface Request {
  path: string;
  body?: string;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * Property tests of every input of one service (issue 13): for each route of its OpenAPI
 * document, random bodies (mostly shaped like its schema, with hostile values, missing and
 * smuggled keys, and text that is not JSON at all), random path ids and random query values
 * never get a 5xx; every refusal is problem+json with a code; and a refused request leaves every
 * table of the service's schema (its outbox, hence its events, included) as it was.
 * `examples` gives a valid body for a route (`'POST /v1/incidents'`): half the bodies sent there
 * are then mutations of it, which reach the rules a random body never passes.
 * `FC_RUNS` sets the runs per route (default 25); a failure prints fast-check's seed and path.
 */
export function describeInputProperties(service: string, createApp: CreateApp, examples: Record<string, unknown> = {}): void {
  describe(`${service}: any input is answered below 500, and a refused one changes nothing`, () => {
    let running: ServiceUnderTest;
    let database: Client;
    let document: OpenApiDocument;
    let token: string;

    beforeAll(async () => {
      running = await startServiceUnderTest(createApp);
      database = new Client({ connectionString: running.databaseUrl });
      await database.connect();
      document = (await (await fetch(`${running.url}/docs/json`)).json()) as OpenApiDocument;
      // The widest caller, so that requests get past authorization to the rules behind it.
      token = await devToken({ roles: ['admin'], jurisdiction: 'ocd-division/country:us', clearance: 'red' });
    });
    afterAll(async () => {
      await database?.end();
      await running?.close();
    });

    it('holds for every route of its OpenAPI document', async () => {
      const failures: string[] = [];
      let routes = 0;
      for (const [path, item] of Object.entries(document.paths)) {
        for (const [method, operation] of Object.entries(item).filter(([name]) => METHODS.includes(name))) {
          if (path.startsWith('/docs') || path.endsWith('/events')) continue; // the document itself; server-sent event streams never end
          routes += 1;
          const failure = await check(method.toUpperCase(), path, operation);
          if (failure) failures.push(`${method.toUpperCase()} ${path}: ${failure}`);
        }
      }
      expect(routes).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    });

    async function check(method: string, path: string, operation: OpenApiOperation): Promise<string | undefined> {
      const requests = requestArbitrary(path, operation, document.components?.schemas ?? {}, examples[`${method} ${path}`]);
      try {
        await fc.assert(
          fc.asyncProperty(requests, async (request) => {
            const before = await rowCountsNow();
            const response = await fetch(`${running.url}${request.path}`, {
              method,
              headers: { authorization: `Bearer ${token}`, ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
              ...(request.body === undefined ? {} : { body: request.body }),
            });
            const text = await response.text();
            if (response.status >= 500) throw new Error(`answered ${response.status}: ${text.slice(0, 300)}`);
            if (response.status >= 400) {
              const problem = parse(text);
              if (!response.headers.get('content-type')?.startsWith('application/problem+json') || typeof problem?.code !== 'string') {
                throw new Error(`refused (${response.status}) without a problem+json code: ${text.slice(0, 300)}`);
              }
              expect(await rowCountsNow()).toEqual(before);
            }
          }),
          { numRuns: Number(process.env['FC_RUNS'] ?? 25) },
        );
        return undefined;
      } catch (error) {
        const cause = (error as Error & { cause?: Error }).cause;
        return `${(error as Error).message}${cause ? `\ncause: ${cause.message}` : ''}`.replace(/(.)\1{40,}/g, (run, char: string) => `${char}…(${run.length} times)`).slice(0, 3000);
      }
    }

    /** Rows in each table of the service's schema. */
    const rowCountsNow = () => rowCounts(database, service);
  });
}

/** A path with random ids and query values, and for a route with a JSON body, a random body. */
function requestArbitrary(path: string, operation: OpenApiOperation, components: SchemaComponents, example: unknown): fc.Arbitrary<Request> {
  const parameters = operation.parameters ?? [];
  const pathParameter = fc.oneof(fc.uuid(), fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('0', '-1', '..', '%2e%2e', 'null', '9'.repeat(40)));
  const pathValues = fc.tuple(...parameters.filter((p) => p.in === 'path').map(() => pathParameter));
  const query = fc.tuple(
    ...parameters
      .filter((p) => p.in === 'query')
      .map((p) => fc.option(schemaArbitrary(p.schema ?? {}, components).map((value) => [p.name, queryValue(value)] as const), { nil: undefined })),
  );
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  const json = (value: unknown) => JSON.stringify(value) ?? 'null';
  const bodies = [
    { weight: 9, arbitrary: schemaArbitrary(schema ?? {}, components).map(json) },
    ...(example === undefined ? [] : [{ weight: 9, arbitrary: mutationArbitrary(example).map(json) }]),
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
  ];
  const body = schema ? fc.oneof(...bodies) : fc.constant(undefined);
  return fc.tuple(pathValues, query, body).map(([values, pairs, text]) => {
    let index = 0;
    const filled = path.replace(/\{\w+\}/g, () => encodeURIComponent(String(values[index++])));
    const search = new URLSearchParams(pairs.filter((pair): pair is readonly [string, string] => pair !== undefined).map(([name, value]): [string, string] => [name, value]));
    const queryText = search.toString();
    return { path: queryText ? `${filled}?${queryText}` : filled, ...(text === undefined ? {} : { body: text }) };
  });
}

/** A query value as a URL carries it, cut to what an HTTP server takes in a request line. */
function queryValue(value: unknown): string {
  return (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).slice(0, 2_000);
}

function parse(text: string): { code?: unknown } | undefined {
  try {
    return JSON.parse(text) as { code?: unknown };
  } catch {
    return undefined;
  }
}
