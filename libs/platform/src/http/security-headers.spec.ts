import { nestsDeeperThan } from './json-depth';
import { securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it('gives API answers a policy that loads nothing, and no HSTS unless configured', () => {
    const headers = securityHeaders('/v1/incidents', { hstsMaxAgeSeconds: 0 });
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'cache-control': 'no-store', 'x-frame-options': 'DENY' });
    expect(headers['content-security-policy']).toMatch(/^default-src 'none'/);
    expect(headers).not.toHaveProperty('strict-transport-security');
  });

  it('lets the API page run its own scripts, and sends HSTS when configured', () => {
    const headers = securityHeaders('/docs', { hstsMaxAgeSeconds: 31_536_000 });
    expect(headers['content-security-policy']).toMatch(/script-src 'self';/);
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(securityHeaders('/docs/json', { hstsMaxAgeSeconds: 0 })['content-security-policy']).toMatch(/^default-src 'none'/);
  });
});

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(nestsDeeperThan('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":[{"b":[[1]]}]}', 4)).toBe(true);
    expect(nestsDeeperThan(JSON.stringify({ note: '[[[[[[{{{{ \\" [[[[' }), 1)).toBe(false);
  });
});
