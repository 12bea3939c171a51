import type { FastifyInstance } from 'fastify';

/** What {@link securityHeaders} depends on. */
export interface SecurityHeaderOptions {
  /** `Strict-Transport-Security` max-age; 0 sends none (the service itself speaks plain HTTP behind TLS termination). */
  hstsMaxAgeSeconds: number;
}

// An API answer is data, never a page: it may load nothing and be framed by no one.
const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
// Swagger UI: its own scripts only; its page carries inline <style> and data: icons.
const DOCS_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * The headers every answer of a service carries (OWASP API8), by request path: answers are
 * not sniffed, cached, framed, embedded by other origins or followed by a referrer. No CORS
 * header is ever sent: browsers reach the APIs through the console's same-origin proxy.
 */
export function securityHeaders(path: string, options: SecurityHeaderOptions): Record<string, string> {
  const docsPage = path.startsWith('/docs') && !path.startsWith('/docs/json');
  return {
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    // Bearer-authenticated answers must not sit in a shared or browser cache; nothing here is worth caching.
    'cache-control': 'no-store',
    'content-security-policy': docsPage ? DOCS_POLICY : API_POLICY,
    ...(options.hstsMaxAgeSeconds > 0 ? { 'strict-transport-security': `max-age=${options.hstsMaxAgeSeconds}; includeSubDomains` } : {}),
  };
}

/** Sets {@link securityHeaders} on every answer, errors and 404s included (set before routing, so nothing can skip them). */
export function registerSecurityHeaders(fastify: FastifyInstance, options: SecurityHeaderOptions): void {
  const api = securityHeaders('/v1', options);
  const docs = securityHeaders('/docs', options);
  fastify.addHook('onRequest', (request, reply, done) => {
    const path = request.url;
    void reply.headers(path.startsWith('/docs') && !path.startsWith('/docs/json') ? docs : api);
    done();
  });
}
