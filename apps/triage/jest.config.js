module.exports = { ...require('../../jest.preset.js'), displayName: 'triage', rootDir: __dirname };
