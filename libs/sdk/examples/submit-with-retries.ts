// Example: a SOAR playbook step that files a phishing alert as a Watchfloor incident.
// Run it: WATCHFLOOR_INTAKE_URL=http://127.0.0.1:3001 WATCHFLOOR_TOKEN=$(npm run -s token -- --role automation \
//   --jurisdiction ocd-division/country:us/state:ga) SWC_NODE_PROJECT=tsconfig.json node -r @swc-node/register libs/sdk/examples/submit-with-retries.ts
import { WatchfloorApiError, WatchfloorClient, type IncidentSubmission, type SubmissionResult } from '@watchfloor/sdk';

/** What the SOAR knows about the alert. */
export interface PhishingAlert {
  /** The SOAR's own case id: it becomes the report's Idempotency-Key and source reference. */
  caseId: string;
  jurisdiction: string;
  lookalikeDomain: string;
  sender: string;
  detectedAt: string;
}

/**
 * Files the alert. The case id makes it safe to run again (after a crash, a timeout, a
 * replayed playbook): the same key and body give the same incident, never a second one.
 */
export async function reportPhishingAlert(client: WatchfloorClient, alert: PhishingAlert): Promise<SubmissionResult> {
  const submission: IncidentSubmission = {
    title: `Phishing from look-alike domain ${alert.lookalikeDomain}`,
    description: `E-mail gateway flagged messages from ${alert.sender} linking to a credential-harvesting page.`,
    category: 'phishing',
    jurisdiction: alert.jurisdiction,
    detectedAt: alert.detectedAt,
    affectedAssets: ['email_office_it'],
    impacts: { functionalImpact: 'no_impact_to_services', informationImpact: 'suspected_not_identified', recoverability: 'regular', attackVector: 'email_phishing' },
    observables: [
      { type: 'domain', value: alert.lookalikeDomain },
      { type: 'email', value: alert.sender },
    ],
    tlp: 'amber',
    reporter: { name: 'SOAR playbook', organization: 'County IT' },
    source: { system: 'soar', reference: alert.caseId },
  };
  try {
    return await client.submitIncident(submission, { idempotencyKey: `soar-${alert.caseId}` });
  } catch (error) {
    // A 4xx is never retried: fix the input (each field at fault is named) or the token.
    if (error instanceof WatchfloorApiError) {
      for (const { field, message } of error.fields) console.error(`  ${field}: ${message}`);
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const client = new WatchfloorClient({
    baseUrl: process.env['WATCHFLOOR_INTAKE_URL'] ?? 'http://127.0.0.1:3001',
    token: () => process.env['WATCHFLOOR_TOKEN'] ?? '',
    onRetry: ({ attempt, reason, delayMs }) => console.warn(`attempt ${attempt} failed (${reason}); retrying in ${delayMs} ms`),
  });
  const result = await reportPhishingAlert(client, {
    caseId: process.argv[2] ?? 'case-1001',
    jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
    lookalikeDomain: 'sos-georgia-verify.com',
    sender: 'elections@sos-georgia-verify.com',
    detectedAt: new Date().toISOString(),
  });
  console.log(`${result.created ? 'filed' : 'already filed'} as ${result.reference} (${result.id}), status ${result.status}`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
