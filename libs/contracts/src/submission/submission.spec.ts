import { validateInstance, type ValidateInstanceOptions } from '../validation/validate';
import type { FieldError } from '../validation/result';
import { IncidentSubmission } from './incident-submission';
import { IncidentUpdateSubmission } from './incident-update-submission';
import { normalizeSubmission, normalizeUpdateSubmission } from './normalize-submission';
import { submissionBody } from './submission.fixtures';

function errorsOf(cls: new () => object, body: unknown, options?: ValidateInstanceOptions): FieldError[] {
  const result = validateInstance(cls, body, options);
  return result.ok ? [] : result.errors;
}

function fieldsOf(cls: new () => object, body: unknown): string[] {
  return [...new Set(errorsOf(cls, body).map((error) => error.field))];
}

describe('IncidentSubmission validation', () => {
  it('accepts a valid submission and yields a class instance', () => {
    const result = validateInstance(IncidentSubmission, submissionBody());
    expect(result.ok).toBe(true);
    expect(result.ok && result.value).toBeInstanceOf(IncidentSubmission);
  });

  it('accepts the smallest submission', () => {
    const { occurredAt: _o, detectedAt: _d, ...body } = submissionBody({
      affectedAssets: [],
      observables: [],
      impacts: { functionalImpact: 'no_impact', informationImpact: 'no_impact', recoverability: 'regular' },
      reporter: { name: 'Pat' },
    });
    expect(errorsOf(IncidentSubmission, body)).toEqual([]);
  });

  const badSubmissions: [overrides: Record<string, unknown>, field: string][] = [
    [{ observables: [{ type: 'ipv4', value: '1.2.3.4' }, { type: 'ipv4', value: '1.2.3' }] }, 'observables[1].value'],
    [{ observables: [{ type: 'fax', value: '1' }] }, 'observables[0].type'],
    [{ observables: [{ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e', extra: true }] }, 'observables[0].extra'],
    [{ observables: 'not a list' }, 'observables'],
    [{ impacts: { functionalImpact: 'no_impact', informationImpact: 'no_impact', recoverability: 'regular', actor: 'aliens' } }, 'impacts.actor'],
    [{ impacts: { informationImpact: 'no_impact', recoverability: 'regular' } }, 'impacts.functionalImpact'],
    [{ impacts: { functionalImpact: 'no_impact', informationImpact: 'no_impact', recoverability: 'regular', actor: null } }, 'impacts.actor'],
    [{ impacts: [] }, 'impacts'],
    [{ reporter: { name: 'Pat', phone: '12' } }, 'reporter.phone'],
    [{ reporter: { name: 'Pat', email: 'not-an-email' } }, 'reporter.email'],
    [{ reporter: { name: '   ' } }, 'reporter.name'],
    [{ source: { system: 'sensor-7' } }, 'source.reference'],
    [{ title: '' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ description: 'x'.repeat(10_001) }, 'description'],
    [{ category: 'alien_invasion' }, 'category'],
    [{ jurisdiction: 'ocd-division/country:ca' }, 'jurisdiction'],
    [{ affectedAssets: ['e_pollbook', 'e_pollbook'] }, 'affectedAssets'],
    [{ affectedAssets: ['toaster'] }, 'affectedAssets'],
    [{ observables: Array.from({ length: 101 }, () => ({ type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' })) }, 'observables'],
    [{ tlp: 'white' }, 'tlp'],
    [{ phase: 'runoff' }, 'phase'],
    [{ occurredAt: '2026-11-02' }, 'occurredAt'],
    [{ occurredAt: '2026-11-02T10:00:00' }, 'occurredAt'],
    [{ occurredAt: '2026-02-30T10:00:00Z' }, 'occurredAt'],
    [{ occurredAt: '1999-12-31T23:59:59Z' }, 'occurredAt'],
    [{ occurredAt: '2026-11-02T10:00:00Z', detectedAt: '2026-11-02T09:00:00Z' }, 'occurredAt'],
    [{ detectedAt: new Date(Date.now() + 3_600_000).toISOString() }, 'detectedAt'],
    [{ priority: 'high' }, 'priority'],
  ];

  it.each(badSubmissions.map(([overrides, field]) => [field, overrides] as const))('names %s', (field, overrides) => {
    expect(fieldsOf(IncidentSubmission, submissionBody(overrides))).toEqual([field]);
  });

  it('names missing required fields', () => {
    expect(fieldsOf(IncidentSubmission, {}).sort()).toEqual(
      ['affectedAssets', 'category', 'description', 'impacts', 'jurisdiction', 'observables', 'reporter', 'title'].sort(),
    );
  });

  it('says why an observable value is invalid', () => {
    const errors = errorsOf(IncidentSubmission, submissionBody({ observables: [{ type: 'sha256', value: 'abc' }] }));
    expect(errors).toEqual([{ field: 'observables[0].value', message: 'value must be a SHA-256 hash of 64 hex digits (type sha256)' }]);
  });

  it('names unknown properties', () => {
    expect(errorsOf(IncidentSubmission, submissionBody({ isAdmin: true }))).toEqual([{ field: 'isAdmin', message: 'property isAdmin should not exist' }]);
  });

  it('rejects what is not an object', () => {
    expect(errorsOf(IncidentSubmission, [submissionBody()])).toEqual([{ field: '', message: 'must be a JSON object' }]);
    expect(errorsOf(IncidentSubmission, null)).toHaveLength(1);
  });

  it('allows a near-future time within the skew and drops the clock rule for recorded data', () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    expect(errorsOf(IncidentSubmission, submissionBody({ detectedAt: soon }))).toEqual([]);
    expect(errorsOf(IncidentSubmission, submissionBody({ detectedAt: later }), { clockRules: false })).toEqual([]);
  });
});

describe('normalizeSubmission', () => {
  function normalized(overrides: Record<string, unknown> = {}): ReturnType<typeof normalizeSubmission> {
    const result = validateInstance(IncidentSubmission, submissionBody(overrides));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return normalizeSubmission(result.value);
  }

  it('fills the default TLP and keeps a given one', () => {
    expect(normalized().tlp).toBe('amber');
    expect(normalized({ tlp: 'red' }).tlp).toBe('red');
  });

  it('puts values in canonical form', () => {
    const submission = normalized({
      jurisdiction: 'OCD-Division/Country:US/State:GA',
      observables: [
        { type: 'domain', value: 'Fulton-Vote[.]com' },
        { type: 'domain', value: 'fulton-vote.com' },
        { type: 'url', value: 'HTTPS://Fulton-Vote.com:443/login#x' },
      ],
      source: { system: ' sensor-7 ', reference: ' A-1 ' },
    });
    expect(submission.jurisdiction).toBe('ocd-division/country:us/state:ga');
    expect(submission.occurredAt).toBe('2024-11-04T13:00:00.000Z');
    expect(submission.detectedAt).toBe('2024-11-04T14:30:00.000Z');
    expect(submission.observables).toEqual([
      { type: 'domain', value: 'fulton-vote.com' },
      { type: 'url', value: 'https://fulton-vote.com/login' },
    ]);
    expect(submission.reporter).toEqual({ name: 'Pat Clerk', email: 'pat.clerk@fultoncountyga.gov', phone: '+14046562871', organization: 'Fulton County Elections' });
    expect(submission.source).toEqual({ system: 'sensor-7', reference: 'A-1' });
    expect(submission).toBeInstanceOf(IncidentSubmission);
  });

  it('gives JSON without absent fields and stays valid', () => {
    const submission = normalized({ occurredAt: undefined });
    expect(JSON.parse(JSON.stringify(submission))).not.toHaveProperty('occurredAt');
    expect(errorsOf(IncidentSubmission, JSON.parse(JSON.stringify(submission)))).toEqual([]);
  });
});

describe('IncidentUpdateSubmission', () => {
  it.each([
    [{ note: 'Vendor confirmed the portal is fake.' }],
    [{ observables: [{ type: 'ipv4', value: '198.51.100.7' }] }],
    [{ affectedAssets: ['e_pollbook'] }],
    [{ impacts: { actor: 'criminal' } }],
  ])('accepts %j', (body) => {
    expect(errorsOf(IncidentUpdateSubmission, body)).toEqual([]);
  });

  it('requires at least one field', () => {
    expect(errorsOf(IncidentUpdateSubmission, {})).toEqual([{ field: 'note', message: 'an update needs a note, observables, affectedAssets or impacts' }]);
  });

  it.each([
    [{ note: '  ' }, 'note'],
    [{ note: 'x'.repeat(10_001) }, 'note'],
    [{ observables: [] }, 'observables'],
    [{ observables: [{ type: 'ipv4', value: 'nope' }] }, 'observables[0].value'],
    [{ impacts: {} }, 'impacts'],
    [{ impacts: { potentialImpact: 'catastrophic' } }, 'impacts.potentialImpact'],
    [{ note: 'x', title: 'new title' }, 'title'],
  ].map(([body, field]) => [field, body] as const))('names %s', (field, body) => {
    expect(fieldsOf(IncidentUpdateSubmission, body)).toEqual([field]);
  });

  it('normalises added observables', () => {
    const result = validateInstance(IncidentUpdateSubmission, { observables: [{ type: 'ipv6', value: '2001:DB8::0:1' }] });
    expect(result.ok && normalizeUpdateSubmission(result.value).observables).toEqual([{ type: 'ipv6', value: '2001:db8::1' }]);
  });
});
