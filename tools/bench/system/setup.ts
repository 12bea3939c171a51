import type { IncidentSubmission, Tlp } from '@watchfloor/contracts';
import { devTokenOptions, signDevToken, type DevTokenClaims } from '@watchfloor/platform';
import { ROUTABLE_EVENT_TYPES } from '../../../apps/notification/src/routing/routable-events';
import { assertAllValid, generateSubmissions } from '../submissions';
import type { SystemUnderTest } from './system-under-test';
import type { SignedWebhookReceiver } from './webhook-receiver';

const NATIONAL = 'ocd-division/country:us';
/** What a partner of clearance amber may receive by webhook (red never leaves; amber+strict only to the reporter's organisation). */
const PARTNER_VISIBLE: readonly Tlp[] = ['clear', 'green', 'amber'];

/** The two callers of a run: an official filing from anywhere in the country, and the subscribed partner. */
export interface RunTokens {
  official: string;
  partner: string;
}

export async function runTokens(system: SystemUnderTest): Promise<RunTokens> {
  // Issuer and audience as the services check them (AUTH_ISSUER/AUTH_AUDIENCE of the stack's environment).
  const options = system.mode === 'start' ? devTokenOptions({ AUTH_ISSUER: process.env['AUTH_ISSUER'], AUTH_AUDIENCE: process.env['AUTH_AUDIENCE'] }) : devTokenOptions({});
  const sign = (claims: DevTokenClaims) => signDevToken(claims, system.authSecret, '6h', options);
  return {
    official: await sign({ sub: 'system-bench-official', name: 'System benchmark official', roles: ['official'], jurisdiction: NATIONAL, clearance: 'red', org: 'watchfloor-bench' }),
    partner: await sign({ sub: 'system-bench-partner', name: 'System benchmark partner', roles: ['partner'], jurisdiction: NATIONAL, clearance: 'amber', org: 'bench-vendor' }),
  };
}

/**
 * Varied valid submissions (tools/bench/submissions.ts), each within the partner's
 * clearance so that every incident is delivered: TLP:RED and AMBER+STRICT become AMBER.
 */
export function submissionBodies(count: number, seed: number): { bodies: Buffer[]; meanBytes: number; tlpChanged: number } {
  let tlpChanged = 0;
  const submissions = generateSubmissions(count, seed).map((submission): IncidentSubmission => {
    if (submission.tlp === undefined || PARTNER_VISIBLE.includes(submission.tlp)) return submission;
    tlpChanged += 1;
    return { ...submission, tlp: 'amber' };
  });
  assertAllValid(submissions);
  const bodies = submissions.map((submission) => Buffer.from(JSON.stringify(submission)));
  return { bodies, meanBytes: bodies.reduce((sum, body) => sum + body.length, 0) / bodies.length, tlpChanged };
}

/** One webhook subscription of the partner to every event type there is, no filter, pointing at the receiver. */
export async function subscribeReceiver(system: SystemUnderTest, partnerToken: string, receiver: SignedWebhookReceiver): Promise<{ id: string; target: string; events: readonly string[] }> {
  const target = await receiver.start();
  const response = await fetch(`${system.urls.notification}/v1/subscriptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${partnerToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'System benchmark receiver', channel: 'webhook', target, events: ROUTABLE_EVENT_TYPES }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`POST /v1/subscriptions answered ${response.status}: ${text.slice(0, 500)}`);
  const { id, secret } = JSON.parse(text) as { id: string; secret: string };
  receiver.trust(secret);
  return { id, target, events: ROUTABLE_EVENT_TYPES };
}
