import { homeOf, isExpired, readClaims } from './session';

const token = (claims: object) => `header.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;
const official = { sub: 'official-ga', name: 'Dana Clérk', roles: ['official'], jurisdiction: 'ocd-division/country:us/state:ga', clearance: 'amber', exp: 2_000_000_000 };

describe('readClaims', () => {
  it('reads the claims of a JWT, UTF-8 names included', () => {
    expect(readClaims(token(official))).toEqual(official);
  });
  it('refuses what is not a token with the claims the console needs', () => {
    expect(readClaims('not-a-token')).toBeUndefined();
    expect(readClaims(token({ sub: 'x' }))).toBeUndefined();
  });
});

describe('sessions', () => {
  it('expire at the token expiry', () => {
    const claims = readClaims(token(official));
    expect(claims && isExpired(claims, 2_000_000_000_000)).toBe(true);
    expect(claims && isExpired(claims, 1_999_999_999_000)).toBe(false);
  });
  it('start each role at its first page', () => {
    const claims = readClaims(token(official));
    expect(claims && homeOf(claims)).toBe('/report');
    expect(claims && homeOf({ ...claims, roles: ['triage'] })).toBe('/queue');
    expect(claims && homeOf({ ...claims, roles: ['auditor'] })).toBe('/audit');
    expect(claims && homeOf({ ...claims, roles: ['partner'] })).toBe('/subscriptions');
  });
});
