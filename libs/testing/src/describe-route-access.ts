import { ROLES } from '@watchfloor/contracts';
import type { HttpApp } from '@watchfloor/platform';
import { createTestDatabase } from './postgres';
import { useNats } from './nats';
import { accessSection, admitted, attempt, documentedSection, operationsOf, refusedForRole, servedRoutes, writeSection, type Operation } from './route-access';

/** Makes the service's app from the environment the tests give it (its database, NATS namespace, port 0). */
export type CreateApp = (env: Record<string, string>) => Promise<HttpApp>;

interface Running {
  app: HttpApp;
  url: string;
  close(): Promise<void>;
}

async function startFor(createApp: CreateApp): Promise<Running> {
  const db = await createTestDatabase();
  const nats = await useNats();
  // The rate limit lifted: every route is called once per role.
  const app = await createApp({ DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace, PORT: '0', LOG_LEVEL: 'silent', RATE_LIMIT_PER_MINUTE: '100000' });
  const url = await app.listen();
  return {
    app,
    url,
    close: async () => {
      await app.close();
      await nats.cleanup();
      await db.drop();
    },
  };
}

/**
 * The access tests of one service (OWASP API5 function-level authorization, API9
 * inventory): its docs/access.md table is the one its code makes, every route refuses every
 * role it does not admit and no route refuses one it admits, nothing but a public route
 * answers without a token, and the server answers exactly the documented routes.
 */
export function describeRouteAccess(service: string, createApp: CreateApp): void {
  describe(`${service}: who may call what`, () => {
    let running: Running;
    let operations: Operation[];

    beforeAll(async () => {
      running = await startFor(createApp);
      const document = await (await fetch(`${running.url}/docs/json`)).json();
      operations = operationsOf(document as Parameters<typeof operationsOf>[0]);
    });
    afterAll(() => running?.close());

    it('docs/access.md has the table the code makes', () => {
      const section = accessSection(service, operations);
      if (process.env.WRITE_ACCESS_TABLE === '1') writeSection(service, section);
      expect(documentedSection(service)).toBe(section);
    });

    it('answers exactly the routes its OpenAPI document lists (besides the document itself)', () => {
      const documented = operations.map((op) => `${op.method} ${op.path}`).sort();
      const served = servedRoutes(running.app)
        .filter((route) => !route.path.startsWith('/docs'))
        .map((route) => `${route.method} ${route.path}`)
        .sort();
      expect(documented.length).toBeGreaterThan(0);
      expect(served).toEqual(documented);
    });

    it('refuses each role it does not admit with 403, and lets each one it admits past the role check', async () => {
      const wrong: string[] = [];
      for (const operation of operations) {
        for (const role of ROLES) {
          const answer = await attempt(running.url, operation, role);
          const shouldPass = admitted(operation.admits, role);
          if (refusedForRole(answer) === shouldPass || answer.status === 401 || answer.status >= 500) {
            wrong.push(`${operation.method} ${operation.path} as ${role}: ${answer.status} ${answer.code ?? ''} (${shouldPass ? 'admitted' : 'not admitted'})`);
          }
        }
      }
      expect(wrong).toEqual([]);
    });

    it('answers 401 without a token on every route but the public ones', async () => {
      const wrong: string[] = [];
      for (const operation of operations) {
        const answer = await attempt(running.url, operation, undefined);
        const expected = operation.admits.kind === 'public' ? answer.status < 400 : answer.status === 401;
        if (!expected) wrong.push(`${operation.method} ${operation.path}: ${answer.status} ${answer.code ?? ''}`);
      }
      expect(wrong).toEqual([]);
    });
  });
}
