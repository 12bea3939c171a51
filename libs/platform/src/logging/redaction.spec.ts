import { isSecretKey, REDACTION_CENSOR, redactSecrets } from './redaction';

describe('redactSecrets', () => {
  it('hides secrets at any depth and in arrays, without touching the original', () => {
    const original = {
      headers: { authorization: 'Bearer x', Cookie: 'sid', accept: '*/*' },
      config: { AUTH_DEV_SECRET: 's', NATS_PASS: 'p', DATABASE_URL: 'postgres://u:pw@h/db', PORT: 1 },
      subscriptions: [{ id: 1, webhookSecret: 'whsec_1' }, { id: 2 }],
      deep: { a: { b: { c: { accessToken: 't' } } } },
    };
    const snapshot = structuredClone(original);
    const redacted = redactSecrets(original);
    expect(original).toEqual(snapshot);
    expect(redacted).toEqual({
      headers: { authorization: REDACTION_CENSOR, Cookie: REDACTION_CENSOR, accept: '*/*' },
      config: { AUTH_DEV_SECRET: REDACTION_CENSOR, NATS_PASS: REDACTION_CENSOR, DATABASE_URL: REDACTION_CENSOR, PORT: 1 },
      subscriptions: [{ id: 1, webhookSecret: REDACTION_CENSOR }, { id: 2 }],
      deep: { a: { b: { c: { accessToken: REDACTION_CENSOR } } } },
    });
    expect(redacted.subscriptions[1]).toBe(original.subscriptions[1]);
  });

  it("hides a reporter's contact data wherever the reporter is, but not observables", () => {
    const line = {
      incident: {
        reporter: { name: 'Jane Clerk', email: 'jane@county.gov', phone: '+14045550100', organisation: 'Fulton' },
        observables: [{ type: 'email', value: 'phisher@evil.example' }],
      },
    };
    expect(redactSecrets(line)).toEqual({
      incident: {
        reporter: { name: REDACTION_CENSOR, email: REDACTION_CENSOR, phone: REDACTION_CENSOR, organisation: 'Fulton' },
        observables: [{ type: 'email', value: 'phisher@evil.example' }],
      },
    });
  });

  it('returns objects without secrets as they are, and leaves errors to the serializer', () => {
    const line = { correlationId: 'c', status: 200, when: new Date(0) };
    expect(redactSecrets(line)).toBe(line);
    const err = new Error('boom');
    expect(redactSecrets({ err }).err).toBe(err);
    expect(redactSecrets(null)).toBeNull();
    expect(redactSecrets('token')).toBe('token');
  });

  it('keeps undefined and null secrets as they are (nothing to hide)', () => {
    expect(redactSecrets({ password: undefined, token: null })).toEqual({ password: undefined, token: null });
  });

  it.each([
    ['authorization', true],
    ['clientSecret', true],
    ['refresh_token', true],
    ['api-key', true],
    ['tokenType', false],
    ['sub', false],
    ['idempotencyKey', false],
    ['name', false],
  ])('isSecretKey(%s) is %s', (key, secret) => {
    expect(isSecretKey(key)).toBe(secret);
  });
});
