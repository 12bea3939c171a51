import { createEvent, type EventOf } from '@watchfloor/contracts';

/** A valid `incident.reported.v1` from Fulton County, Georgia, as intake would publish it. */
export function aReportedEvent(incidentId = '0193b0f4-6c1e-7d3a-9f5e-2b1c4d5e6f70'): EventOf<'watchfloor.incident.reported.v1'> {
  const jurisdiction = 'ocd-division/country:us/state:ga/county:fulton';
  return createEvent(
    'watchfloor.incident.reported.v1',
    {
      incidentId,
      version: 1,
      reference: 'WF-2026-000042',
      submission: {
        title: 'Phishing e-mails to poll workers',
        description: 'A look-alike portal asks for credentials.',
        category: 'phishing',
        jurisdiction,
        affectedAssets: ['email_office_it'],
        impacts: { functionalImpact: 'no_impact_to_services', informationImpact: 'suspected_not_identified', recoverability: 'regular' },
        observables: [{ type: 'domain', value: 'fulton-vote.com' }],
        tlp: 'amber',
        reporter: { name: 'Pat Clerk' },
      },
      submittedBy: { sub: 'official-7', org: 'fulton-county' },
      receivedAt: new Date().toISOString(),
    },
    { source: '/watchfloor/intake', subject: incidentId, tlp: 'amber', jurisdiction, correlationId: 'test' },
  );
}
