// The one entry point of the built image: `node dist/main.js <service>` starts
// dist/apps/<service>/src/main.js, so one image serves every app and the orchestrator
// chooses by argument (compose `command`, Kubernetes `args`). The operator commands of
// docs/operations.md run the same way (`node dist/main.js token --role ...`): in a container
// there is no checkout and no npm, only this image.
'use strict';
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

// Command name in the image -> compiled tool (its `npm run` script in a checkout).
const COMMANDS = {
  'audit-verify': ['tools', 'audit', 'verify.js'], // npm run audit:verify
  'outbox-replay': ['tools', 'outbox', 'replay.js'], // npm run outbox:replay
  token: ['tools', 'token', 'mint.js'], // npm run token
  integrity: ['tools', 'integrity', 'check.js'], // npm run integrity
};

const name = process.argv[2];
// A service's main.js; the console's is its server's (its src/ is the browser app, built into dist/console).
const serviceEntry = (service) => {
  const server = join(__dirname, 'apps', service, 'server', 'main.js');
  return existsSync(server) ? server : join(__dirname, 'apps', service, 'src', 'main.js');
};
const commandEntry = (command) => (Object.hasOwn(COMMANDS, command) ? join(__dirname, ...COMMANDS[command]) : undefined);
const entryOf = (candidate) => {
  if (!candidate || !/^[a-z][a-z0-9-]*$/.test(candidate)) return undefined;
  const entry = commandEntry(candidate) ?? serviceEntry(candidate);
  return existsSync(entry) ? entry : undefined;
};

const entry = entryOf(name);
if (!entry) {
  const services = readdirSync(join(__dirname, 'apps')).filter((service) => existsSync(serviceEntry(service)));
  const commands = Object.keys(COMMANDS).filter((command) => existsSync(commandEntry(command)));
  process.stderr.write(
    `usage: node ${process.argv[1]} <${services.join('|')}>${name ? ` (no service or command "${name}")` : ''}\n` +
      (commands.length > 0 ? `   or: node ${process.argv[1]} <${commands.join('|')}> [--help | arguments]\n` : ''),
  );
  process.exit(64);
}
process.argv.splice(2, 1);
require(entry);
