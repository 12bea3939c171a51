import { ROLES } from '@watchfloor/contracts';
import { startServiceUnderTest, type CreateApp, type ServiceUnderTest } from './service-under-test';
import { accessSection, admitted, attempt, documentedSection, operationsOf, refusedForRole, servedRoutes, writeSection, type Operation } from './route-access';

/**
 * The access tests of one service (OWASP API5 function-level authorization, API9
 * inventory): its docs/access.md table is the one its code makes, every route refuses every
 * role it does not admit and no route refuses one it admits, nothing but a public route
 * answers without a token, and the server answers exactly the documented routes.
 */
export function describeRouteAccess(service: string, createApp: CreateApp): void {
  describe(`${service}: who may call what`, () => {
    let running: ServiceUnderTest;
    let operations: Operation[];

    beforeAll(async () => {
      running = await startServiceUnderTest(createApp);
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
