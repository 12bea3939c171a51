// Shared Jest setup for every project: swc compiles TypeScript (ts-jest cannot load Nest 12),
// and Nest's ESM-only packages are compiled too, since Jest on Node 20 cannot require(esm).
const path = require('node:path');

const esmPackages = [
  '@nestjs', 'file-type', 'strtok3', 'token-types', '@tokenizer', 'uint8array-extras',
  '@borewit', 'load-esm', 'uid', 'cookie', 'uuidv7', 'jose', 'content-disposition',
];

const libs = ['contracts', 'messaging', 'persistence', 'platform', 'sdk', 'testing'];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(?:.*/node_modules/)?(?:${esmPackages.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  moduleNameMapper: Object.fromEntries(
    libs.map((lib) => [`^@watchfloor/${lib}$`, path.join(__dirname, `libs/${lib}/src/index.ts`)]),
  ),
};
