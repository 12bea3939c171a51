// The console in production: the built single-page app, `/config.json` (how to sign in) and,
// where no ingress routes them (compose), each service's API under `/api/<service>/`.
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname, join, normalize, sep } from 'node:path';
import { API_SERVICES, type ApiService, type ConsoleServerConfig } from './config';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

// Headers of one connection, not of the message: a proxy must not pass them on (RFC 9110 7.6.1).
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/** The server; `listen` it. */
export function createConsoleServer(config: ConsoleServerConfig): Server {
  const securityHeaders = pageSecurityHeaders(config);
  const configBody = JSON.stringify(config.publicConfig);
  return createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://console');
    const api = /^\/api\/([a-z]+)(\/.*)?$/.exec(url.pathname);
    if (api) return proxy(config, api[1] as ApiService, `${api[2] ?? '/'}${url.search}`, request, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', { allow: 'GET, HEAD' });
    if (url.pathname === '/health') return answer(response, 200, 'text/plain; charset=utf-8', 'ok\n', { 'cache-control': 'no-store' });
    if (url.pathname === '/config.json') return answer(response, 200, 'application/json', configBody, { 'cache-control': 'no-store' });
    void serveFile(config.distDir, url.pathname, request, response, securityHeaders);
  });
}

function answer(response: ServerResponse, status: number, type: string, body: string, headers: OutgoingHttpHeaders = {}): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'x-content-type-options': 'nosniff', ...headers });
  response.end(body);
}

/**
 * The page may load only its own files and talk to this origin (the APIs) and the identity
 * provider (discovery and token requests); nothing may frame it; no referrer leaves it (the
 * callback URL holds the authorization code).
 */
function pageSecurityHeaders(config: ConsoleServerConfig): OutgoingHttpHeaders {
  const idp = new URL(config.publicConfig.issuer).origin;
  return {
    'content-security-policy': [
      "default-src 'self'",
      `connect-src 'self' ${idp}`,
      "img-src 'self' data:",
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
  };
}

/**
 * A file of the build; any other path without a file extension is a page of the app
 * (`/queue/<id>`, the sign-in callback), answered with index.html for the app's router.
 * Hashed assets are cached for good; index.html never, so a new release is picked up at once.
 */
async function serveFile(distDir: string, pathname: string, request: IncomingMessage, response: ServerResponse, securityHeaders: OutgoingHttpHeaders): Promise<void> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return answer(response, 400, 'text/plain; charset=utf-8', 'Bad path\n');
  }
  const root = normalize(distDir + sep);
  const candidate = normalize(join(root, decoded));
  // `..` or an encoded separator must not leave the build folder.
  if (!candidate.startsWith(root) || decoded.includes('\0')) return answer(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
  let file = candidate;
  let stats = await fileStats(file);
  if (!stats && extname(decoded) === '') {
    file = join(root, 'index.html');
    stats = await fileStats(file);
  }
  if (!stats) return answer(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
  const html = file.endsWith('.html');
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': stats.size,
    'cache-control': decoded.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...(html ? securityHeaders : { 'x-content-type-options': 'nosniff' }),
  });
  if (request.method === 'HEAD') return void response.end();
  createReadStream(file)
    .on('error', () => response.destroy())
    .pipe(response);
}

async function fileStats(path: string): Promise<Stats | undefined> {
  const stats = await stat(path).catch(() => undefined);
  return stats?.isFile() ? stats : undefined;
}

/**
 * `/api/<service>/<rest>` to the service's `/<rest>`, streamed both ways (the live queue is a
 * stream of server-sent events), with the client named in X-Forwarded-* for the services'
 * rate limits (TRUST_PROXY). A client that goes away ends the upstream request too.
 */
function proxy(config: ConsoleServerConfig, service: ApiService, path: string, request: IncomingMessage, response: ServerResponse): void {
  const upstream = (API_SERVICES as readonly string[]).includes(service) ? config.upstreams[service] : undefined;
  if (!upstream) {
    return answer(
      response,
      404,
      'application/problem+json',
      JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `This server does not route /api/${service}/.` }),
    );
  }
  const target = new URL(path.replace(/^\/+/, '/'), upstream);
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(request.headers)) if (!HOP_BY_HOP.has(name) && name !== 'host') headers[name] = value;
  const client = request.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = request.headers['x-forwarded-for'] ? `${String(request.headers['x-forwarded-for'])}, ${client}` : client;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-host'] ??= request.headers.host ?? '';
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const outgoing = send(target, { method: request.method, headers }, (incoming) => {
    const back: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(incoming.headers)) if (!HOP_BY_HOP.has(name) && value !== undefined) back[name] = value;
    response.writeHead(incoming.statusCode ?? 502, back);
    // Each event of a stream goes out as it comes.
    response.flushHeaders();
    incoming.pipe(response);
  });
  outgoing.on('error', () => {
    if (response.headersSent) return void response.destroy();
    answer(response, 502, 'application/problem+json', JSON.stringify({ type: 'about:blank', title: 'Bad Gateway', status: 502, detail: `${service} did not answer.` }));
  });
  response.on('close', () => outgoing.destroy());
  request.pipe(outgoing);
}
