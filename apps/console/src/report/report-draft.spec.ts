import { controlId, emptyDraft, errorsByFormField, formFieldOf, toReportBody } from './report-draft';

const draft = (overrides: Partial<ReturnType<typeof emptyDraft>> = {}) => ({
  ...emptyDraft({ jurisdiction: 'ocd-division/country:us/state:ga', reporterName: 'Dana Clerk', detectedAt: '' }),
  ...overrides,
});

describe('toReportBody', () => {
  it('sends what the official filled in, trimmed, and leaves out what they did not choose', () => {
    const body = toReportBody(
      draft({
        title: '  Phishing e-mail  ',
        description: 'Poll workers got it.',
        category: 'phishing',
        functionalImpact: 'no_impact_to_services',
        observables: [
          { type: 'domain', value: ' sos-georgia-verify.com ' },
          { type: 'url', value: '   ' },
        ],
        reporterEmail: ' dana@fultoncountyga.gov ',
      }),
    );
    expect(body).toEqual({
      title: 'Phishing e-mail',
      description: 'Poll workers got it.',
      category: 'phishing',
      jurisdiction: 'ocd-division/country:us/state:ga',
      affectedAssets: [],
      impacts: { functionalImpact: 'no_impact_to_services' },
      observables: [{ type: 'domain', value: 'sos-georgia-verify.com' }],
      tlp: 'amber',
      reporter: { name: 'Dana Clerk', email: 'dana@fultoncountyga.gov' },
    });
  });

  it('sends local times as ISO 8601 UTC', () => {
    const body = toReportBody(draft({ detectedAt: '2026-11-03T08:05' }));
    expect(body.detectedAt).toBe(new Date('2026-11-03T08:05').toISOString());
    expect(body.occurredAt).toBeUndefined();
  });
});

describe('field errors', () => {
  it('puts each problem+json field beside the form control it is about', () => {
    expect(formFieldOf('observables[2].value')).toBe('observables.2.value');
    expect(formFieldOf('reporter.email')).toBe('reporterEmail');
    expect(formFieldOf('impacts.recoverability')).toBe('recoverability');
    expect(formFieldOf('affectedAssets[0]')).toBe('affectedAssets');
    expect(formFieldOf('title')).toBe('title');
  });

  it('groups several messages of one field', () => {
    expect(
      errorsByFormField([
        { field: 'title', message: 'title must not be blank' },
        { field: 'title', message: 'title is too long' },
        { field: 'observables[0].value', message: 'not a domain' },
      ]),
    ).toEqual({ title: ['title must not be blank', 'title is too long'], 'observables.0.value': ['not a domain'] });
  });

  it('gives every field a DOM id the error summary can link to', () => {
    expect(controlId('observables.0.value')).toBe('report-observables-0-value');
  });
});
