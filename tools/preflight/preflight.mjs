// What `npm test` (or, with `start`, `npm start`) needs beyond `npm ci`, checked in its first
// second, so that a fresh machine fails here naming what to install rather than minutes into
// the run. Plain JavaScript with no dependencies: it must run on an older Node too, to say so.
import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const NODE_PACKAGE = `node-${process.platform}-${process.arch}`;
const REQUIRED_NODE_MAJOR = Number(/\d+/.exec(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node)[0]);

function onPath(command) {
  if (command.includes('/')) return isExecutable(command);
  return (process.env.PATH ?? '').split(delimiter).concat('/usr/sbin', '/sbin').some((dir) => isExecutable(join(dir, command)));
}
function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
/** Debian keeps initdb off PATH, under /usr/lib/postgresql/<version>/bin. */
function debianInitdb() {
  const base = '/usr/lib/postgresql';
  return existsSync(base) && readdirSync(base).some((version) => isExecutable(join(base, version, 'bin', 'initdb')));
}

/** libfaketime, where Debian and most distributions put it (the tests find it the same way: libs/testing/src/skewed-clock.ts). */
function libfaketime() {
  const candidates = [process.env.FAKETIME_LIB, '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1', '/usr/lib/faketime/libfaketime.so.1', '/usr/local/lib/faketime/libfaketime.so.1'];
  return candidates.some((file) => file && existsSync(file));
}

/** Each need: what it is for, whether it is met, and how to meet it. */
const needs = [
  {
    what: `Node.js ${REQUIRED_NODE_MAJOR} or newer (this is ${process.version})`,
    met: Number(process.versions.node.split('.')[0]) >= REQUIRED_NODE_MAJOR,
    fix: `nvm install ${REQUIRED_NODE_MAJOR}, or https://nodejs.org, or from the npm registry alone: npm install --prefix ~/.local/node${REQUIRED_NODE_MAJOR} ${NODE_PACKAGE}@${REQUIRED_NODE_MAJOR} and put ~/.local/node${REQUIRED_NODE_MAJOR}/node_modules/${NODE_PACKAGE}/bin first on PATH`,
  },
  { what: 'the dependencies', met: existsSync(join(ROOT, 'node_modules', '.package-lock.json')), fix: 'npm ci' },
  { what: 'nats-server (the scale-out test and the soak start NATS clusters of their own)', met: onPath('nats-server'), fix: 'apt-get install nats-server (Debian), brew install nats-server (macOS)' },
  { what: "Postgres' initdb (the soak starts a Postgres server of its own)", met: onPath('initdb') || debianInitdb(), fix: 'apt-get install postgresql (Debian)' },
  { what: 'kubectl or kustomize (renders the Kubernetes manifests)', met: onPath('kubectl') || onPath('kustomize'), fix: 'apt-get install kubernetes-client (Debian), or any kubectl' },
  { what: 'docker-compose (checks docker-compose.yml; no engine needed)', met: onPath('docker-compose'), fix: 'apt-get install docker-compose (Debian), or pip install docker-compose' },
  { what: 'openssl (makes keys as an operator would)', met: onPath('openssl'), fix: 'apt-get install openssl' },
  { what: 'promtool (checks the alert rules)', met: onPath('promtool'), fix: 'apt-get install prometheus (Debian)' },
  {
    what: "Chromium (the console's browser tests; Playwright's own download is not used)",
    met: isExecutable(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'),
    fix: 'apt-get install chromium (Debian), or set CHROMIUM_PATH to a Chromium or Chrome',
  },
  { what: 'libfaketime (the clock-skew test and the soak run triage on a skewed wall clock)', met: libfaketime(), fix: 'apt-get install faketime (Debian), or set FAKETIME_LIB to a libfaketime.so.1' },
  { what: 'unshare and ip (the first-run test hides this machine\'s servers in a network namespace)', met: onPath('unshare') && onPath('ip'), fix: 'apt-get install util-linux iproute2' },
];

// `npm start` finds or starts Postgres and NATS itself (and says how to get nats-server).
const command = process.argv[2] === 'start' ? 'start' : 'test';
const missing = needs.slice(0, command === 'start' ? 2 : needs.length).filter((need) => !need.met);
if (missing.length > 0) {
  console.error(`npm ${command} cannot run on this machine yet. Missing:`);
  for (const need of missing) console.error(`  - ${need.what}\n      ${need.fix}`);
  if (command === 'test') console.error('(.ci/run installs all of these on Debian.)');
  process.exit(1);
}
