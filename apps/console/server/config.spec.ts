import { consoleServerConfig } from './config';

const IDP = { CONSOLE_OIDC_ISSUER: 'https://login.example.org/realms/watchfloor', CONSOLE_OIDC_CLIENT_ID: 'watchfloor-console' };
const config = (env: Record<string, string>) => consoleServerConfig(env, '/app/dist/console');

describe("the console server's configuration", () => {
  it('gives the browser the identity provider, and routes only the services it is told', () => {
    const parsed = config({ ...IDP, CONSOLE_OIDC_SCOPE: 'openid  profile', CONSOLE_TRIAGE_URL: 'http://triage:3002' });
    expect(parsed.publicConfig).toEqual({ signIn: 'oidc', issuer: IDP.CONSOLE_OIDC_ISSUER, clientId: 'watchfloor-console', scope: 'openid profile' });
    expect(Object.keys(parsed.upstreams)).toEqual(['triage']);
    expect({ host: parsed.host, port: parsed.port, distDir: parsed.distDir }).toEqual({ host: '127.0.0.1', port: 3000, distDir: '/app/dist/console' });
  });

  it('refuses to start without an identity provider, or with one it would reach in clear', () => {
    expect(() => config({})).toThrow(/CONSOLE_OIDC_ISSUER: required[\s\S]*CONSOLE_OIDC_CLIENT_ID: required/);
    expect(() => config({ ...IDP, CONSOLE_OIDC_ISSUER: 'http://login.example.org/' })).toThrow(/CONSOLE_OIDC_ISSUER: must be https/);
    expect(config({ ...IDP, CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:4444' }).publicConfig.issuer).toBe('http://127.0.0.1:4444');
  });

  it('names each wrong variable', () => {
    expect(() => config({ ...IDP, CONSOLE_OIDC_SCOPE: 'profile', PORT: 'eighty', CONSOLE_AUDIT_URL: 'ftp://audit', CONSOLE_DIST_DIR: 'dist' })).toThrow(
      /PORT: must be a port number[\s\S]*CONSOLE_OIDC_SCOPE: must include openid[\s\S]*CONSOLE_AUDIT_URL: must be an http: or https: URL[\s\S]*CONSOLE_DIST_DIR: must be an absolute path/,
    );
  });
});
