import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { TokenVerifier } from '../src';

// A real JWKS endpoint on loopback, as the identity provider would serve it.
const ISSUER = 'https://idp.test/';
const AUDIENCE = 'watchfloor';
let server: Server;
let jwksUrl: string;
let esKey: CryptoKey;
let rsKey: CryptoKey;

beforeAll(async () => {
  const es = await generateKeyPair('ES256');
  const rs = await generateKeyPair('RS256');
  esKey = es.privateKey;
  rsKey = rs.privateKey;
  const keys = [
    { ...(await exportJWK(es.publicKey)), kid: 'es', alg: 'ES256', use: 'sig' },
    { ...(await exportJWK(rs.publicKey)), kid: 'rs', alg: 'RS256', use: 'sig' },
  ];
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function verifier(url = jwksUrl): TokenVerifier {
  return TokenVerifier.fromConfig({
    AUTH_MODE: 'jwks',
    AUTH_DEV_SECRET: 'unused-in-jwks-mode-unused-in-jwks-mode',
    AUTH_JWKS_URL: url,
    AUTH_ISSUER: ISSUER,
    AUTH_AUDIENCE: AUDIENCE,
    AUTH_ALGORITHMS: ['ES256'],
  });
}

function sign(key: CryptoKey, alg: string, kid: string, claims: JWTPayload = {}): Promise<string> {
  return new SignJWT({ roles: ['partner'], clearance: 'green' })
    .setProtectedHeader({ alg, kid })
    .setSubject('partner-1')
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setExpirationTime('5m')
    .sign(key);
}

describe('TokenVerifier (jwks mode)', () => {
  it('accepts a token signed with a key of the JWKS and a pinned algorithm', async () => {
    await expect(verifier().verify(await sign(esKey, 'ES256', 'es'))).resolves.toMatchObject({
      sub: 'partner-1',
      roles: ['partner'],
      clearance: 'green',
    });
  });

  it('refuses an algorithm that is not pinned, even with a key of the JWKS', async () => {
    await expect(verifier().verify(await sign(rsKey, 'RS256', 'rs'))).rejects.toHaveProperty('code', 'AUTH.UNAUTHENTICATED');
  });

  it('refuses another audience or issuer', async () => {
    await expect(verifier().verify(await sign(esKey, 'ES256', 'es', { aud: 'other' }))).rejects.toHaveProperty(
      'code',
      'AUTH.UNAUTHENTICATED',
    );
    await expect(verifier().verify(await sign(esKey, 'ES256', 'es', { iss: 'https://evil/' }))).rejects.toHaveProperty(
      'code',
      'AUTH.UNAUTHENTICATED',
    );
  });

  it('answers 503 AUTH.UNAVAILABLE, not 401, when the JWKS cannot be fetched', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await verifier(`http://127.0.0.1:${port}/jwks.json`).authenticate(`Bearer ${await sign(esKey, 'ES256', 'es')}`);
    expect(result.error).toMatchObject({ code: 'AUTH.UNAVAILABLE', kind: 'unavailable' });
  });

  it('answers 503 AUTH.UNAVAILABLE, not 401, when the JWKS endpoint fails or sends no key set', async () => {
    const failing = createServer((request, response) => {
      if (request.url === '/error') response.writeHead(500).end('down');
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"not":"a key set"}');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    try {
      const origin = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
      const token = await sign(esKey, 'ES256', 'es');
      for (const path of ['/error', '/garbage']) {
        const result = await verifier(`${origin}${path}`).authenticate(`Bearer ${token}`);
        expect(result.error).toMatchObject({ code: 'AUTH.UNAVAILABLE' });
      }
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });
});
