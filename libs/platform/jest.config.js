const preset = require('../../jest.preset.js');

// @fastify/static (Swagger UI assets) pulls in ESM-only packages that swc must compile too,
// as Jest on Node 20 cannot require(esm).
const extraEsmPackages = ['content-disposition'];
const transformIgnorePatterns = preset.transformIgnorePatterns.map((pattern) => {
  const extended = pattern.replace('(?:@nestjs|', `(?:${extraEsmPackages.join('|')}|@nestjs|`);
  if (extended === pattern) throw new Error('jest.preset.js changed: update libs/platform/jest.config.js');
  return extended;
});

module.exports = { ...preset, transformIgnorePatterns, displayName: 'platform', rootDir: __dirname };
