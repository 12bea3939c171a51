// Keys whose values never reach a log line: credentials and reporters' contact data.
// pino's redaction matches exact paths, with `*` for one level; these cover a key at the top,
// one and two levels down, and the request headers pino's serializers emit.
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'password',
  'passwd',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'clientSecret',
  'signingKey',
  'privateKey',
  'AUTH_DEV_SECRET',
  'NATS_PASS',
  'NATS_TOKEN',
  'DATABASE_URL',
];

const CONTACT_PATHS = ['reporter.email', 'reporter.phone', 'reporter.name'];

function atDepths(key: string): string[] {
  return [key, `*.${key}`, `*.*.${key}`];
}

/** Paths pino redacts in every Watchfloor log line. */
export const REDACTED_PATHS: readonly string[] = [
  ...SECRET_KEYS.flatMap(atDepths),
  ...CONTACT_PATHS.flatMap(atDepths),
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** What a redacted value is replaced with. */
export const REDACTION_CENSOR = '[REDACTED]';
