import baseConfig from '../../eslint.config.mjs';

// The SDK's integration tests need the test infrastructure lib, which the SDK itself must
// never import: the boundary rule is widened for test files only (as in libs/messaging).
// The examples are written as an automation would write them, importing `@watchfloor/sdk`
// by its package name, so they may import their own project by its alias.
const [level, options] = baseConfig.find((c) => c.rules?.['@nx/enforce-module-boundaries']).rules['@nx/enforce-module-boundaries'];
const testConstraints = options.depConstraints.map((c) =>
  c.sourceTag === 'type:sdk' ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] } : c,
);

export default [
  ...baseConfig,
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': [level, { ...options, depConstraints: testConstraints, allowCircularSelfDependency: true }] },
  },
  {
    files: ['examples/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': [level, { ...options, allowCircularSelfDependency: true }] },
  },
];
