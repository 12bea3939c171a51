import { SignJWT } from 'jose';
import { DEV_AUTH_SECRET, signDevToken } from '@watchfloor/platform';
import { aCaller, aSubmission, expectEventually, forgeToken, generateSigningKey, GEORGIA, startTestIdp, type TestIdp, type TestSigningKey } from '@watchfloor/testing';
import { type IntakeUnderTest, json, type Receipt, startIntake } from './harness';

// Intake in production mode (AUTH_MODE=jwks) behind a real OpenID Provider: tokens come from
// its client_credentials grant, keys from its JWKS. Cooldown 0 and a short cache let the
// rotation cases run without waiting out production's 30 s and 10 min.
const now = () => Math.floor(Date.now() / 1000);
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('intake: tokens from the identity provider (JWKS)', () => {
  let idp: TestIdp;
  let intake: IntakeUnderTest;
  let first: TestSigningKey;
  let second: TestSigningKey;
  let stranger: TestSigningKey;
  let impostor: TestSigningKey;

  beforeAll(async () => {
    [first, second, stranger, impostor] = await Promise.all([
      generateSigningKey('idp-key-1'),
      generateSigningKey('idp-key-2'),
      generateSigningKey('not-at-the-idp'),
      // The kid of the IdP's key, but another key.
      generateSigningKey('idp-key-1'),
    ]);
    idp = await startTestIdp([first]);
    intake = await startIntake({ ...idp.authEnv, AUTH_JWKS_COOLDOWN_MS: '0', AUTH_JWKS_CACHE_MAX_AGE_MS: '300' });
  });
  afterAll(async () => {
    await intake?.close();
    await idp?.stop();
  });

  const submit = (token: string) => intake.request('POST', '/v1/incidents', { token, body: aSubmission() });

  it('accepts an access token the IdP issued, with the caller its claims name', async () => {
    const token = await idp.token({ role: 'official', jurisdiction: GEORGIA, sub: 'clerk-fulton' });
    const created = await submit(token);
    expect(created.status).toBe(201);
    const receipt = await json<Receipt>(created);
    const read = await intake.request('GET', `/v1/incidents/${receipt.id}`, { token });
    expect(read.status).toBe(200);
    const [message] = (await intake.streamMessages()).slice(-1);
    expect(message?.json()).toHaveProperty('data.submittedBy.sub', 'clerk-fulton');
  });

  // Each is a token a forger could present; every one gets 401 and changes nothing.
  const refused: Array<[string, () => Promise<string>]> = [
    ['expired', () => forgeToken(first, idp, { iat: now() - 600, exp: now() - 60 })],
    ['not yet valid (nbf in the future)', () => forgeToken(first, idp, { nbf: now() + 120 })],
    ['for another audience', () => forgeToken(first, idp, { aud: 'another-api' })],
    ['from another issuer', () => forgeToken(first, idp, { iss: 'https://idp.evil.example' })],
    ['without exp', () => forgeToken(first, idp, { exp: undefined })],
    ['unsigned (alg none)', async () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...aCaller(), iss: idp.issuer, aud: idp.audience, exp: now() + 60 })}.`],
    ['alg none with a signature part', async () => `${base64url({ alg: 'none', kid: first.kid })}.${base64url({ ...aCaller(), iss: idp.issuer, aud: idp.audience, exp: now() + 60 })}.AAAA`],
    // HS/RS confusion: HMAC with the IdP's public key as the secret, under the IdP's kid.
    ['HS256 keyed with the IdP public key', () => forgeHs256(JSON.stringify(first.publicJwk), first.kid, idp)],
    ['HS256 with the development secret', () => signDevToken({ ...aCaller(), sub: 'dev' }, DEV_AUTH_SECRET, '1h', { issuer: idp.issuer, audience: idp.audience })],
    ['signed by a key whose kid the IdP does not have', () => forgeToken(stranger, idp)],
    ["signed by another key under the IdP key's kid", () => forgeToken(impostor, idp)],
    ['issued by the IdP, then given another role', async () => tamper(await idp.token({ role: 'partner' }), { roles: ['official'] })],
  ];

  it.each(refused)('refuses a token %s: 401 problem+json, nothing written', async (_kind, make) => {
    const before = await intake.counts();
    const response = await submit(await make());
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await json(response)).toMatchObject({ status: 401, code: 'AUTH.UNAUTHENTICATED' });
    expect(await intake.counts()).toEqual(before);
  });

  it("follows the IdP's key rotation: a new key is accepted at once, a removed one refused once the cache expires", async () => {
    const official = { role: 'official' as const, jurisdiction: GEORGIA };
    expect((await submit(await idp.token(official))).status).toBe(201);

    // The IdP publishes its new key beside the old one and signs with the new one: intake has
    // never seen its kid, fetches the JWKS again and accepts it.
    await idp.rotate([second, first]);
    const byNewKey = await idp.token(official);
    expect(JSON.parse(Buffer.from(byNewKey.split('.')[0] ?? '', 'base64url').toString())).toHaveProperty('kid', second.kid);
    expect((await submit(byNewKey)).status).toBe(201);
    expect((await submit(await forgeToken(first, idp))).status).toBe(201);

    // The old key leaves the JWKS: tokens it signs stop working once intake's copy expires
    // (each try is a new token, so the cache of verified tokens cannot answer).
    await idp.rotate([second]);
    await expectEventually(async () => expect((await submit(await forgeToken(first, idp))).status).toBe(401), { timeoutMs: 10_000 });
    expect((await submit(await idp.token(official))).status).toBe(201);
  });
});

function forgeHs256(secret: string, kid: string, idp: Pick<TestIdp, 'issuer' | 'audience'>): Promise<string> {
  return new SignJWT({ ...aCaller(), iss: idp.issuer, aud: idp.audience })
    .setProtectedHeader({ alg: 'HS256', kid })
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(secret));
}

/** The token with its payload changed and its signature kept. */
function tamper(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
  return `${header}.${base64url({ ...claims, ...changes })}.${signature}`;
}
