// The console's dev server, as `npm start` runs it: the single-page app, and the four
// services' APIs under /api/<service>/ (the same path layout the ingress and compose use,
// see docs/console.md). Plain JavaScript: Vite loads it before any TypeScript exists.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const SERVICES = ['intake', 'triage', 'notification', 'audit'];
const portBase = Number(process.env.WATCHFLOOR_PORT_BASE ?? 3000);

/** Where each service answers: CONSOLE_<SERVICE>_URL, else the stack's port for it. */
function serviceUrl(service, index) {
  return process.env[`CONSOLE_${service.toUpperCase()}_URL`] ?? `http://127.0.0.1:${portBase + index + 1}`;
}

/** `/api/intake/v1/...` -> intake's `/v1/...`, for each service. */
function apiProxy() {
  return Object.fromEntries(
    SERVICES.map((service, index) => [
      `/api/${service}/`,
      { target: serviceUrl(service, index), rewrite: (path) => path.slice(`/api/${service}`.length) },
    ]),
  );
}

/**
 * Development sign-in: `GET /config.json` says so (the production server answers its identity
 * provider there, apps/console/server), and `GET /dev/personas` lists the tokens `npm start`
 * minted (CONSOLE_DEV_PERSONAS, JSON). Only the dev server has these; a production build has neither.
 */
function devSignIn() {
  return {
    name: 'watchfloor-dev-sign-in',
    configureServer(server) {
      server.middlewares.use('/config.json', (_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.setHeader('cache-control', 'no-store');
        response.end(JSON.stringify({ signIn: 'development' }));
      });
      server.middlewares.use('/dev/personas', (_request, response) => {
        response.setHeader('content-type', 'application/json');
        response.setHeader('cache-control', 'no-store');
        response.end(process.env.CONSOLE_DEV_PERSONAS ?? '[]');
      });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  // Vite allows one dev server per cache folder; a test's stack beside a developer's takes its own.
  ...(process.env.CONSOLE_CACHE_DIR ? { cacheDir: process.env.CONSOLE_CACHE_DIR } : {}),
  plugins: [react(), devSignIn()],
  server: {
    host: '127.0.0.1',
    port: Number(process.env.PORT ?? portBase),
    strictPort: true,
    proxy: apiProxy(),
  },
  build: { outDir: '../../dist/console', emptyOutDir: true },
  clearScreen: false,
});
