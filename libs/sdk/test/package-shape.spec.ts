import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface PackageJson {
  name: string;
  version: string;
  main: string;
  types: string;
  exports: Record<string, unknown>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const LIB = join(__dirname, '..');
const read = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
const sdk = read(join(LIB, 'package.json'));
const root = read(join(LIB, '..', '..', 'package.json'));

/** Bare module specifiers imported by the SDK's own code (specs excluded). */
function importedPackages(): Set<string> {
  const packages = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
        for (const [, specifier] of readFileSync(path, 'utf8').matchAll(/from '([^'.][^']*)'/g)) {
          if (specifier === undefined || specifier.startsWith('node:')) continue;
          const parts = specifier.split('/');
          packages.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier));
        }
      }
    }
  };
  visit(join(LIB, 'src'));
  return packages;
}

/** True when `version` satisfies a caret range such as `^3.4.0`, or equals an exact one. */
function satisfies(version: string, range: string): boolean {
  const parse = (v: string) => v.replace(/^\^/, '').split('-')[0]?.split('.').map(Number) ?? [];
  const [major, minor, patch] = parse(version);
  const [rMajor, rMinor, rPatch] = parse(range);
  if (!range.startsWith('^')) return version === range;
  return major === rMajor && ((minor ?? 0) > (rMinor ?? 0) || ((minor ?? 0) === (rMinor ?? 0) && (patch ?? 0) >= (rPatch ?? 0)));
}

// libs/sdk/package.json is the shape @watchfloor/sdk would be published in (docs/sdk.md).
describe('@watchfloor/sdk package shape', () => {
  it('has one entry point, with its types', () => {
    expect(sdk.name).toBe('@watchfloor/sdk');
    expect({ main: sdk.main, types: sdk.types }).toEqual({ main: './dist/index.js', types: './dist/index.d.ts' });
    expect(sdk.exports['.']).toEqual({ types: './dist/index.d.ts', require: './dist/index.js', default: './dist/index.js' });
  });

  it('declares exactly the packages its code imports', () => {
    const declared = new Set([...Object.keys(sdk.dependencies ?? {}), ...Object.keys(sdk.peerDependencies ?? {})]);
    expect([...importedPackages()].sort()).toEqual([...declared].sort());
  });

  it('asks for versions the repository runs and tests it with', () => {
    const ranges = { ...sdk.dependencies, ...sdk.peerDependencies };
    const installed: Record<string, string | undefined> = { ...root.dependencies, ...root.devDependencies, '@watchfloor/contracts': root.version };
    const unsatisfied = Object.entries(ranges).filter(([name, range]) => !satisfies(installed[name] ?? 'missing', range));
    expect(unsatisfied).toEqual([]);
  });
});
