import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { consoleServerConfig } from '../server/config';
import { createConsoleServer } from '../server/console-server';

// The console's production server on a loopback port, over a build folder made here and a
// stand-in for triage that records what reaches it. The browser test (e2e/console/oidc-sign-in)
// runs it with the real build and the real services.
describe("the console's production server", () => {
  let dist: string;
  let console: Server;
  let triage: Server;
  let base: string;
  const seen: Array<{ method?: string; url?: string; headers: IncomingHttpHeaders; body: string }> = [];

  const listen = (server: Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'wf-console-server-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(join(dist, '..', 'wf-console-secret.txt'), 'not to be served');
    triage = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, headers: request.headers, body });
        response.writeHead(201, { 'content-type': 'application/json', etag: '"3"' }).end('{"ok":true}');
      });
    });
    const triagePort = await listen(triage);
    const config = consoleServerConfig(
      { CONSOLE_OIDC_ISSUER: 'https://login.example.org/realms/watchfloor', CONSOLE_OIDC_CLIENT_ID: 'watchfloor-console', CONSOLE_TRIAGE_URL: `http://127.0.0.1:${triagePort}`, CONSOLE_DIST_DIR: dist },
      dist,
    );
    console = createConsoleServer(config);
    base = `http://127.0.0.1:${await listen(console)}`;
  });
  afterAll(async () => {
    await Promise.all([console, triage].map((server) => new Promise((resolve) => server.close(resolve))));
    rmSync(dist, { recursive: true, force: true });
    rmSync(join(dist, '..', 'wf-console-secret.txt'), { force: true });
  });

  it("answers the app's pages with index.html and its security headers, and caches only hashed assets", async () => {
    const page = await fetch(`${base}/queue/0190d2a4`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>console</title>');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self' https://login.example.org");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect({ status: asset.status, type: asset.headers.get('content-type'), cache: asset.headers.get('cache-control') }).toEqual({
      status: 200,
      type: 'text/javascript; charset=utf-8',
      cache: 'public, max-age=31536000, immutable',
    });
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
  });

  it('serves nothing outside the build folder', async () => {
    for (const path of ['/..%2fwf-console-secret.txt', '/%2e%2e/wf-console-secret.txt', '/assets/..%2f..%2fwf-console-secret.txt']) {
      const response = await fetch(`${base}${path}`);
      expect({ path, status: response.status, leaked: (await response.text()).includes('not to be served') }).toEqual({ path, status: 404, leaked: false });
    }
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('gives the browser its sign-in configuration, never cached', async () => {
    const response = await fetch(`${base}/config.json`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ signIn: 'oidc', issuer: 'https://login.example.org/realms/watchfloor', clientId: 'watchfloor-console', scope: 'openid' });
  });

  it('passes /api/<service>/ to the service without the prefix, with the body, the token and the client named', async () => {
    const response = await fetch(`${base}/api/triage/v1/incidents/7/notes?x=1`, {
      method: 'POST',
      headers: { authorization: 'Bearer eyJ.token', 'content-type': 'application/json', 'if-match': '"2"' },
      body: '{"text":"note"}',
    });
    expect({ status: response.status, etag: response.headers.get('etag'), body: await response.json() }).toEqual({ status: 201, etag: '"3"', body: { ok: true } });
    const [request] = seen.slice(-1);
    expect(request).toEqual(
      expect.objectContaining({
        method: 'POST',
        url: '/v1/incidents/7/notes?x=1',
        body: '{"text":"note"}',
        headers: expect.objectContaining({ authorization: 'Bearer eyJ.token', 'if-match': '"2"', 'x-forwarded-for': '127.0.0.1' }),
      }),
    );
    const unrouted = await fetch(`${base}/api/audit/v1/audit/entries`);
    expect({ status: unrouted.status, type: unrouted.headers.get('content-type') }).toEqual({ status: 404, type: 'application/problem+json' });
  });
});
