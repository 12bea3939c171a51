import { IsString } from 'class-validator';
import { BaseEnv, DEV_AUTH_SECRET } from './base-env';
import { ConfigError, loadConfig } from './load-config';

class ServiceEnv extends BaseEnv {
  override PORT = 3001;

  @IsString()
  WEBHOOK_SIGNING_KEY: string;
}

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and leaves undeclared variables out', () => {
    const config = loadConfig(BaseEnv, { PATH: '/usr/bin', HOME: '/root' });
    expect(config).toBeInstanceOf(BaseEnv);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/watchfloor',
      NATS_URL: ['nats://127.0.0.1:4222'],
      AUTH_MODE: 'dev',
      AUTH_DEV_SECRET: DEV_AUTH_SECRET,
      AUTH_ALGORITHMS: ['RS256', 'ES256'],
      RATE_LIMIT_PER_MINUTE: 600,
      BODY_LIMIT_BYTES: 262144,
      TRUST_PROXY: false,
    });
    expect(config).not.toHaveProperty('PATH');
    expect(config).not.toHaveProperty('HOME');
  });

  it('converts numbers, booleans and lists', () => {
    const config = loadConfig(BaseEnv, {
      PORT: '8080',
      TRUST_PROXY: 'yes',
      NATS_URL: 'nats://a:4222, nats://b:4222,,',
      AUTH_ALGORITHMS: 'ES256,EdDSA',
      RATE_LIMIT_PER_MINUTE: '60',
    });
    expect(config.PORT).toBe(8080);
    expect(config.TRUST_PROXY).toBe(true);
    expect(config.NATS_URL).toEqual(['nats://a:4222', 'nats://b:4222']);
    expect(config.AUTH_ALGORITHMS).toEqual(['ES256', 'EdDSA']);
    expect(config.RATE_LIMIT_PER_MINUTE).toBe(60);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(BaseEnv, { HOST: '', PORT: '' })).toMatchObject({ HOST: '127.0.0.1', PORT: 3000 });
  });

  it('lets services extend the variables and override defaults', () => {
    const config = loadConfig(ServiceEnv, { WEBHOOK_SIGNING_KEY: 'k' });
    expect(config.PORT).toBe(3001);
    expect(config.WEBHOOK_SIGNING_KEY).toBe('k');
    expect(configError(() => loadConfig(ServiceEnv, {})).problems).toEqual(['WEBHOOK_SIGNING_KEY: is required']);
  });

  it('names every bad variable and never prints its value', () => {
    const error = configError(() =>
      loadConfig(BaseEnv, {
        PORT: 'eighty',
        DATABASE_URL: 'mysql://secret-password@db/x',
        NATS_URL: 'nats://ok:4222,http://wrong',
        LOG_LEVEL: 'loud',
        AUTH_ALGORITHMS: 'HS256',
        TRUST_PROXY: 'maybe',
      }),
    );
    const names = error.problems.map((problem) => problem.split(':')[0]);
    expect(names.sort()).toEqual(['AUTH_ALGORITHMS', 'DATABASE_URL', 'LOG_LEVEL', 'NATS_URL', 'PORT', 'TRUST_PROXY']);
    expect(error.message).toContain('PORT: ');
    expect(error.message).not.toContain('secret-password');
  });

  it('requires the JWKS settings in jwks mode', () => {
    const error = configError(() => loadConfig(BaseEnv, { AUTH_MODE: 'jwks' }));
    expect(error.problems).toEqual(['AUTH_JWKS_URL: is required', 'AUTH_ISSUER: is required', 'AUTH_AUDIENCE: is required']);
    const config = loadConfig(BaseEnv, {
      AUTH_MODE: 'jwks',
      AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json',
      AUTH_ISSUER: 'https://idp.example/',
      AUTH_AUDIENCE: 'watchfloor',
    });
    expect(config.AUTH_MODE).toBe('jwks');
  });

  it('refuses the public development secret in production, and short secrets anywhere', () => {
    const production = configError(() => loadConfig(BaseEnv, { NODE_ENV: 'production' }));
    expect(production.problems).toEqual([expect.stringMatching(/^AUTH_DEV_SECRET: must be set to a secret of your own/)]);
    expect(configError(() => loadConfig(BaseEnv, { AUTH_DEV_SECRET: 'short' })).problems[0]).toMatch(/^AUTH_DEV_SECRET: /);
    const own = 'x'.repeat(40);
    expect(loadConfig(BaseEnv, { NODE_ENV: 'production', AUTH_DEV_SECRET: own }).AUTH_DEV_SECRET).toBe(own);
  });
});
