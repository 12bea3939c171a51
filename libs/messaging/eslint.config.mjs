import baseConfig from '../../eslint.config.mjs';

// Integration tests need the test infrastructure lib, which the lib itself must never
// import: the boundary rule is widened for test files only.
const [level, options] = baseConfig.find((c) => c.rules?.['@nx/enforce-module-boundaries']).rules['@nx/enforce-module-boundaries'];
const testConstraints = options.depConstraints.map((c) =>
  c.sourceTag === 'type:messaging' ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] } : c,
);

export default [
  ...baseConfig,
  {
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: { '@nx/enforce-module-boundaries': [level, { ...options, depConstraints: testConstraints }] },
  },
];
