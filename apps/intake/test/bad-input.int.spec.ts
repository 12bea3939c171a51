import { DEV_AUTH_SECRET, signDevToken } from '@watchfloor/platform';
import { aSubmission, GEORGIA } from '@watchfloor/testing';
import { type IntakeUnderTest, json, startIntake } from './harness';

/** A rejected request: its status, its problem code and the fields it must name. */
interface BadRequestCase {
  name: string;
  body?: unknown;
  headers?: Record<string, string>;
  token?: 'none' | 'expired' | 'wrong-signature' | 'partner';
  status: number;
  code: string;
  fields?: string[];
}

const valid = aSubmission();

const cases: BadRequestCase[] = [
  { name: 'an unknown field', body: { ...valid, severity: 'high' }, status: 400, code: 'REQUEST.VALIDATION', fields: ['severity'] },
  { name: 'a wrong type', body: { ...valid, title: 42 }, status: 400, code: 'REQUEST.VALIDATION', fields: ['title'] },
  { name: 'an unknown category', body: { ...valid, category: 'aliens' }, status: 400, code: 'REQUEST.VALIDATION', fields: ['category'] },
  { name: 'an unknown asset', body: { ...valid, affectedAssets: ['mainframe'] }, status: 400, code: 'REQUEST.VALIDATION', fields: ['affectedAssets'] },
  { name: 'a missing required field', body: { ...valid, impacts: undefined }, status: 400, code: 'REQUEST.VALIDATION', fields: ['impacts'] },
  { name: 'a wrong impact value', body: { ...valid, impacts: { ...valid.impacts, actor: 'martians' } }, status: 400, code: 'REQUEST.VALIDATION', fields: ['impacts.actor'] },
  {
    name: 'an invalid observable in a list',
    body: { ...valid, observables: [{ type: 'domain', value: 'ok.example.com' }, { type: 'ipv4', value: '999.1.1.1' }] },
    status: 400, code: 'REQUEST.VALIDATION', fields: ['observables[1].value'],
  },
  // class-transformer drops keys named after Object.prototype's members without a word.
  { name: 'a field named after an Object.prototype member', body: { ...valid, toString: 'x' }, status: 400, code: 'REQUEST.VALIDATION', fields: ['toString'] },
  { name: 'such a field nested', body: { ...valid, impacts: { ...valid.impacts, hasOwnProperty: 1 } }, status: 400, code: 'REQUEST.VALIDATION', fields: ['impacts.hasOwnProperty'] },
  // class-validator validates nested lists inside a list of objects as if they were objects: it was a 500.
  { name: 'a list where an observable should be', body: { ...valid, observables: [[[[[]]]]] }, status: 400, code: 'REQUEST.VALIDATION', fields: ['observables'] },
  { name: 'an unknown field in an observable', body: { ...valid, observables: [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', note: 'x' }] }, status: 400, code: 'REQUEST.VALIDATION', fields: ['observables[0].note'] },
  { name: 'a jurisdiction that is no OCD-ID', body: { ...valid, jurisdiction: 'Fulton County, GA' }, status: 400, code: 'REQUEST.VALIDATION', fields: ['jurisdiction'] },
  { name: 'an unknown TLP', body: { ...valid, tlp: 'purple' }, status: 400, code: 'REQUEST.VALIDATION', fields: ['tlp'] },
  { name: 'a time in the future', body: { ...valid, detectedAt: '2999-01-01T00:00:00.000Z' }, status: 400, code: 'REQUEST.VALIDATION', fields: ['detectedAt'] },
  {
    name: 'more observables than the 100 allowed',
    body: { ...valid, observables: Array.from({ length: 101 }, (_, i) => ({ type: 'domain', value: `d${i}.example.com` })) },
    status: 400, code: 'REQUEST.VALIDATION', fields: ['observables'],
  },
  { name: 'a title too long', body: { ...valid, title: 'x'.repeat(201) }, status: 400, code: 'REQUEST.VALIDATION', fields: ['title'] },
  { name: 'a malformed Idempotency-Key', body: valid, headers: { 'idempotency-key': 'has spaces in it' }, status: 400, code: 'REQUEST.VALIDATION', fields: ['Idempotency-Key'] },
  { name: 'malformed JSON', body: '{"title": "unterminated', status: 400, code: 'REQUEST.MALFORMED_JSON' },
  { name: 'a body that is not an object', body: '[1, 2, 3]', status: 400, code: 'REQUEST.VALIDATION' },
  { name: 'a non-JSON content type', body: JSON.stringify(valid), headers: { 'content-type': 'text/plain' }, status: 415, code: 'REQUEST.UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a body over 256 KiB', body: { ...valid, description: 'x'.repeat(300 * 1024) }, status: 413, code: 'REQUEST.TOO_LARGE' },
  { name: 'no token', body: valid, token: 'none', status: 401, code: 'AUTH.UNAUTHENTICATED' },
  { name: 'an expired token', body: valid, token: 'expired', status: 401, code: 'AUTH.UNAUTHENTICATED' },
  { name: 'a token signed with another key', body: valid, token: 'wrong-signature', status: 401, code: 'AUTH.UNAUTHENTICATED' },
  { name: 'a role that may not submit', body: valid, token: 'partner', status: 403, code: 'AUTH.FORBIDDEN' },
];

describe('intake: bad input gets a clear error and changes nothing', () => {
  let intake: IntakeUnderTest;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    intake = await startIntake();
    const claims = { sub: 'clerk', roles: ['official' as const], jurisdiction: GEORGIA, clearance: 'amber' as const };
    tokens['official'] = await intake.token({ jurisdiction: GEORGIA });
    tokens['expired'] = await signDevToken(claims, DEV_AUTH_SECRET, -60);
    tokens['wrong-signature'] = await signDevToken(claims, 'another-secret-that-is-long-enough-to-use', '1h');
    tokens['partner'] = await intake.token({ role: 'partner', jurisdiction: 'ocd-division/country:us' });
    // One accepted incident first, so "nothing changed" compares against a non-empty state.
    expect((await intake.request('POST', '/v1/incidents', { token: tokens['official'], body: valid })).status).toBe(201);
  });
  afterAll(() => intake.close());

  it.each(cases)('$name -> $status $code', async ({ body, headers, token, status, code, fields }) => {
    const before = await intake.counts();
    const response = await intake.request('POST', '/v1/incidents', {
      token: token === 'none' ? undefined : tokens[token ?? 'official'],
      body,
      headers,
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = await json<{ errors?: unknown[] }>(response);
    expect(problem).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), correlationId: expect.any(String) });
    expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+/); // no stack traces
    for (const field of fields ?? []) {
      expect(problem.errors).toContainEqual(expect.objectContaining({ field }));
    }
    expect(await intake.counts()).toEqual(before);
  });

  // Found by the property tests (input-properties): a path id that is no UUID reached Postgres.
  it.each(['0', 'not-an-id', '01a24872-3901-72b4-b81b'])('an update to the malformed id %s -> 404 INCIDENT.NOT_FOUND', async (id) => {
    const before = await intake.counts();
    const response = await intake.request('POST', `/v1/incidents/${id}/updates`, { token: tokens['official'], body: { note: 'more' } });
    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ code: 'INCIDENT.NOT_FOUND' });
    expect(await intake.counts()).toEqual(before);
  });
});
