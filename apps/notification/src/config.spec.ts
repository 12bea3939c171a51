import { randomBytes } from 'node:crypto';
import { loadConfig } from '@watchfloor/platform';
import { DEV_SECRET_KEY, NotificationEnv } from './config';

const OWN_AUTH = { AUTH_DEV_SECRET: 'a-secret-of-our-own-that-is-long-enough-123' };

describe('NotificationEnv', () => {
  it('defaults are safe: https only, no loopback or private targets, port 3003', () => {
    const config = loadConfig(NotificationEnv, {});
    expect(config).toMatchObject({ PORT: 3003, NOTIFICATION_ALLOW_HTTP: false, NOTIFICATION_ALLOW_LOOPBACK: false, NOTIFICATION_ALLOW_PRIVATE: false });
  });

  it('refuses the public development key in production, naming the variable', () => {
    expect(() => loadConfig(NotificationEnv, { NODE_ENV: 'production', ...OWN_AUTH })).toThrow(/NOTIFICATION_SECRET_KEY/);
    const key = randomBytes(32).toString('base64');
    expect(loadConfig(NotificationEnv, { NODE_ENV: 'production', ...OWN_AUTH, NOTIFICATION_SECRET_KEY: key }).NOTIFICATION_SECRET_KEY).toBe(key);
  });

  it('refuses a key that is not 32 bytes of base64', () => {
    expect(() => loadConfig(NotificationEnv, { NOTIFICATION_SECRET_KEY: randomBytes(16).toString('base64') })).toThrow(/NOTIFICATION_SECRET_KEY/);
    expect(() => loadConfig(NotificationEnv, { NOTIFICATION_SECRET_KEY: 'not base64!' })).toThrow(/NOTIFICATION_SECRET_KEY/);
    expect(Buffer.from(DEV_SECRET_KEY, 'base64')).toHaveLength(32);
  });

  it('reads the local-stack switches and refuses a non-SMTP mail URL', () => {
    expect(loadConfig(NotificationEnv, { NOTIFICATION_ALLOW_LOOPBACK: 'true', NOTIFICATION_ALLOW_HTTP: 'yes' })).toMatchObject({ NOTIFICATION_ALLOW_LOOPBACK: true, NOTIFICATION_ALLOW_HTTP: true });
    expect(() => loadConfig(NotificationEnv, { NOTIFICATION_SMTP_URL: 'http://mail' })).toThrow(/NOTIFICATION_SMTP_URL/);
  });
});
