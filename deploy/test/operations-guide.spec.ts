import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { knownVariables, SERVICES } from './service-env';

// The operations guide's configuration reference is written by hand; this keeps it true.
const guide = readFileSync(join(__dirname, '..', '..', 'docs', 'operations.md'), 'utf8');
const reference = guide.slice(guide.indexOf('## Configuration reference'), guide.indexOf('### The local tools'));
const documented = new Set([...reference.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] as string));

describe('docs/operations.md', () => {
  it.each(SERVICES)('names every variable %s reads', (service) => {
    expect([...knownVariables(service)].filter((name) => !documented.has(name))).toEqual([]);
  });

  it('names no variable that no service reads', () => {
    const read = new Set(SERVICES.flatMap((service) => [...knownVariables(service)]));
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
