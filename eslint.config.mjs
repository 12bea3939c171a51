import nx from '@nx/eslint-plugin';

// Tags: type:* says what a project is, scope:* whose it is. The matrix below forbids,
// it does not decorate: an app never imports another app (each app has its own scope),
// contracts import no framework, libs never import apps, the SDK
// imports only the contracts.
const frameworkPackages = ['@nestjs/*', 'typeorm', 'pg', '@nats-io/*', 'fastify', 'pino', 'jose'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/node_modules', '**/dist', '**/.data', '**/tmp', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: [], bannedExternalImports: frameworkPackages },
            // The SDK is what an automation installs: the contract and NATS, never a framework of the services.
            { sourceTag: 'type:sdk', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: ['@nestjs/*', 'typeorm', 'pg', 'fastify', 'pino'] },
            { sourceTag: 'type:persistence', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence', 'type:platform'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence', 'type:platform', 'type:messaging'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence', 'type:platform', 'type:messaging', 'type:testing'] },
            { sourceTag: 'type:deploy', onlyDependOnLibsWithTags: ['type:contracts', 'type:platform', 'type:testing'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:persistence', 'type:platform', 'type:messaging', 'type:testing'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:intake', onlyDependOnLibsWithTags: ['scope:shared', 'scope:intake'] },
            { sourceTag: 'scope:triage', onlyDependOnLibsWithTags: ['scope:shared', 'scope:triage'] },
            { sourceTag: 'scope:notification', onlyDependOnLibsWithTags: ['scope:shared', 'scope:notification'] },
            { sourceTag: 'scope:audit', onlyDependOnLibsWithTags: ['scope:shared', 'scope:audit'] },
            // The console runs in a browser and talks to the services over HTTP: it may use the contract's types, nothing else.
            { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['type:contracts'] },
          ],
        },
      ],
    },
  },
];
