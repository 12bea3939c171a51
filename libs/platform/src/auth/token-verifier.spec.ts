import { SignJWT } from 'jose';
import { DomainError } from '../errors/domain-error';
import { signDevToken } from './dev-token';
import { type AuthConfig, TokenVerifier } from './token-verifier';

const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const config: AuthConfig = { AUTH_MODE: 'dev', AUTH_DEV_SECRET: SECRET, AUTH_ALGORITHMS: ['RS256'] };
const verifier = TokenVerifier.fromConfig(config);
const claims = { sub: 'u1', roles: ['triage' as const], clearance: 'red' as const };

async function failure(authorization: string | undefined): Promise<DomainError> {
  const result = await verifier.authenticate(authorization);
  if (!result.error) throw new Error('expected a failure');
  return result.error;
}

describe('TokenVerifier (dev mode)', () => {
  it('accepts a dev token and returns the caller', async () => {
    const token = await signDevToken(claims, SECRET, '1m');
    await expect(verifier.authenticate(`Bearer ${token}`)).resolves.toEqual({
      caller: { sub: 'u1', name: 'u1', roles: ['triage'], clearance: 'red', jurisdiction: undefined, org: undefined },
    });
    await expect(verifier.authenticate(`bearer  ${token}`)).resolves.toHaveProperty('caller.sub', 'u1');
  });

  it.each([
    [undefined, /required/],
    ['', /required/],
    ['Token abc', /Bearer/],
    ['Bearer not-a-jwt', /malformed/],
  ])('refuses the header %j', async (header, detail) => {
    const error = await failure(header);
    expect(error.code).toBe('AUTH.UNAUTHENTICATED');
    expect(error.message).toMatch(detail);
  });

  it('refuses expired tokens, other secrets, other issuers and unsigned tokens', async () => {
    const expired = await signDevToken(claims, SECRET, -60);
    expect((await failure(`Bearer ${expired}`)).message).toMatch(/expired/);

    const forged = await signDevToken(claims, 'another-secret-that-is-long-enough-too', '1m');
    expect((await failure(`Bearer ${forged}`)).code).toBe('AUTH.UNAUTHENTICATED');

    const otherIssuer = await signDevToken(claims, SECRET, '1m', { issuer: 'https://elsewhere' });
    expect((await failure(`Bearer ${otherIssuer}`)).code).toBe('AUTH.UNAUTHENTICATED');

    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    expect((await failure(`Bearer ${header}.${payload}.x`)).code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('requires exp', async () => {
    const noExpiry = await new SignJWT({ roles: ['triage'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('urn:watchfloor:dev')
      .setAudience('watchfloor')
      .sign(new TextEncoder().encode(SECRET));
    expect((await failure(`Bearer ${noExpiry}`)).code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('honours AUTH_ISSUER and AUTH_AUDIENCE in dev mode', async () => {
    const custom = TokenVerifier.fromConfig({ ...config, AUTH_ISSUER: 'https://dev.local', AUTH_AUDIENCE: 'wf' });
    const token = await signDevToken(claims, SECRET, '1m', { issuer: 'https://dev.local', audience: 'wf' });
    await expect(custom.verify(token)).resolves.toHaveProperty('sub', 'u1');
    await expect(verifier.verify(token)).rejects.toHaveProperty('code', 'AUTH.UNAUTHENTICATED');
  });
});
