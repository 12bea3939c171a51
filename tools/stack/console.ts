import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** A role and the development token `npm start` minted for it, as the console's sign-in lists them. */
export interface Persona {
  role: string;
  token: string;
}

/**
 * The console's dev server (Vite, apps/console/vite.config.mjs) on `port`: the web app, and
 * each service's API under /api/<service>/ proxied to the stack's ports. The personas are
 * handed over in its environment for the development sign-in.
 */
export function startConsole(root: string, port: number, portBase: number, personas: Persona[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), '--config', join(root, 'apps', 'console', 'vite.config.mjs')], {
    cwd: join(root, 'apps', 'console'),
    env: {
      ...env,
      PORT: String(port),
      WATCHFLOOR_PORT_BASE: String(portBase),
      CONSOLE_DEV_PERSONAS: JSON.stringify(personas),
      // Vite's own colours and clear-screen codes do not belong in the stack's one-line-per-entry log.
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Whether `npm start` runs the console (WATCHFLOOR_CONSOLE=off leaves it out, e.g. for benchmarks). */
export function consoleWanted(env: NodeJS.ProcessEnv): boolean {
  return !['off', 'false', '0', 'no'].includes((env['WATCHFLOOR_CONSOLE'] ?? '').toLowerCase());
}
