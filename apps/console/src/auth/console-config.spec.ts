import { parseConsoleConfig } from './console-config';

describe('config.json', () => {
  it('says development or OpenID Connect', () => {
    expect(parseConsoleConfig({ signIn: 'development' })).toEqual({ signIn: 'development' });
    const oidc = { signIn: 'oidc', issuer: 'https://login.example.org', clientId: 'console', scope: 'openid', resource: 'https://api.example.org' };
    expect(parseConsoleConfig(oidc)).toEqual(oidc);
  });
  it('refuses what is not a configuration, naming the field', () => {
    expect(() => parseConsoleConfig(null)).toThrow(/signIn must be/);
    expect(() => parseConsoleConfig({ signIn: 'oidc', issuer: 'https://login.example.org', scope: 'openid' })).toThrow(/clientId is required/);
    expect(() => parseConsoleConfig({ signIn: 'oidc', issuer: 'https://login.example.org', clientId: 'c', scope: 'profile' })).toThrow(/scope must include openid/);
  });
});
