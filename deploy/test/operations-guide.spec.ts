import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownVariables, SERVICES } from './service-env';
// The deployment checks read the console server's config contract; nothing else of the app.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { CONSOLE_VARIABLES } from '../../apps/console/server/config';

// The operations guide's configuration reference is written by hand; this keeps it true.
const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
const reference = guide.slice(guide.indexOf('## Configuration reference'), guide.indexOf('### The local tools'));
const documented = new Set([...reference.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] as string));

describe('docs/operations.md', () => {
  it.each(SERVICES)('names every variable %s reads', (service) => {
    expect([...knownVariables(service)].filter((name) => !documented.has(name))).toEqual([]);
  });

  it("names every variable the console's server reads", () => {
    expect(CONSOLE_VARIABLES.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('names no variable that no service (nor the console) reads', () => {
    const read = new Set([...SERVICES.flatMap((service) => [...knownVariables(service)]), ...CONSOLE_VARIABLES]);
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
