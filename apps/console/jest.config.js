// Unit tests of the console's pure modules (no DOM); the browser tests are in e2e/console.
module.exports = { ...require('../../jest.preset.js'), displayName: 'console', rootDir: __dirname };
