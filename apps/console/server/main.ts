// `node dist/main.js console` (the image) or `node -r @swc-node/register apps/console/server/main.ts`:
// the console's production server. docs/console.md, "Production".
import { join } from 'node:path';
import { consoleServerConfig } from './config';
import { createConsoleServer } from './console-server';

const log = (level: 'info' | 'error', msg: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service: 'console', msg, ...fields })}\n`);

// Built, this file is dist/apps/console/server/main.js and the app is dist/console.
const BUILT_APP = join(__dirname, '..', '..', '..', 'console');

let config;
try {
  config = consoleServerConfig(process.env, BUILT_APP);
} catch (error) {
  log('error', (error as Error).message);
  process.exit(1);
}
const { host, port, distDir, publicConfig, upstreams } = config;
const server = createConsoleServer(config);
server.on('error', (error) => {
  log('error', `cannot listen on ${host}:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, host, () =>
  log('info', `console listening on http://${host}:${port}`, { distDir, issuer: publicConfig.issuer, routes: Object.keys(upstreams).map((service) => `/api/${service}/`) }),
);
// Open streams (the live queue) would hold close() for ever: end them on the way out.
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
