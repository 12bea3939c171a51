/** A valid submission as a client would send it (plain JSON), with overrides; for specs. */
export function submissionBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: 'Phishing e-mails to poll workers',
    description: 'Several poll workers received e-mails asking them to log in to a fake portal.',
    category: 'phishing',
    jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
    occurredAt: '2024-11-04T08:00:00-05:00',
    detectedAt: '2024-11-04T14:30:00Z',
    affectedAssets: ['email_office_it', 'personnel'],
    impacts: {
      functionalImpact: 'no_impact_to_services',
      informationImpact: 'suspected_not_identified',
      recoverability: 'regular',
      actor: 'unknown',
    },
    observables: [
      { type: 'domain', value: 'Fulton-Vote[.]com' },
      { type: 'email', value: 'Support@Fulton-Vote.com' },
    ],
    reporter: { name: 'Pat Clerk', email: 'Pat.Clerk@FultonCountyGA.gov', phone: '(404) 656-2871', organization: 'Fulton County Elections' },
    ...overrides,
  };
}
