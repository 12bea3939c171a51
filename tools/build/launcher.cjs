// The one entry point of the built image: `node dist/main.js <service>` starts
// dist/apps/<service>/src/main.js, so one image serves every app and the orchestrator
// chooses by argument (compose `command`, Kubernetes `args`).
'use strict';
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const service = process.argv[2];
const entry = (name) => join(__dirname, 'apps', name, 'src', 'main.js');

if (!service || !/^[a-z][a-z0-9-]*$/.test(service) || !existsSync(entry(service))) {
  const services = readdirSync(join(__dirname, 'apps')).filter((name) => existsSync(entry(name)));
  process.stderr.write(`usage: node ${process.argv[1]} <${services.join('|')}>${service ? ` (no service "${service}")` : ''}\n`);
  process.exit(64);
}
process.argv.splice(2, 1);
require(entry(service));
