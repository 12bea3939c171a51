// One Jest run over every project: `npm test` runs it after lint and the type check.
module.exports = {
  projects: ['<rootDir>/libs/*/jest.config.js', '<rootDir>/apps/*/jest.config.js', '<rootDir>/deploy/jest.config.js', '<rootDir>/e2e/jest.config.js'],
  globalSetup: '<rootDir>/libs/testing/global-setup.mjs',
  globalTeardown: '<rootDir>/libs/testing/global-teardown.mjs',
  // A global option: Jest ignores it in the projects' configs.
  testTimeout: 60_000,
};
