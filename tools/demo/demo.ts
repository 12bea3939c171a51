// `npm run demo` (with `npm start` running): an election day played through the APIs, so a
// newcomer sees every part work — reports from several states and counties, scoring and
// assignment, a phishing campaign across counties, an emergency nobody acknowledges
// escalating, a partner's webhook receiving signed events, and the audit chain verifying.
import { randomBytes } from 'node:crypto';
import { bombThreat, emsRansomware, otherStates, phishingWave, state, type DemoReport } from './election-day';
import { SERVICE_URLS, stackIsReady, StackClient, waitFor, type Persona } from './stack-client';
import { WebhookReceiver } from './webhook-receiver';

const US = 'ocd-division/country:us';
const official = (code: string): Persona => ({
  sub: `official-${code}`, name: `${code.toUpperCase()} election official`, role: 'official',
  jurisdiction: state(code), clearance: 'amber', org: `${code}-sos`,
});
const OFFICER: Persona = { sub: 'dana', name: 'Dana (on-call triage)', role: 'triage', jurisdiction: US, clearance: 'red', org: 'watchfloor-soc' };
const ADMIN: Persona = { sub: 'admin-1', name: 'Deployment operator', role: 'admin', jurisdiction: US, clearance: 'red', org: 'watchfloor-soc' };
const PARTNER: Persona = { sub: 'vendor-soar', name: 'Election vendor SOAR', role: 'partner', jurisdiction: US, clearance: 'amber', org: 'election-vendor' };
const AUDITOR: Persona = { sub: 'auditor-1', name: 'Oversight auditor', role: 'auditor', jurisdiction: US, clearance: 'red', org: 'oversight' };

const PARTNER_EVENTS = [
  'watchfloor.incident.triaged.v1', 'watchfloor.incident.reprioritized.v1', 'watchfloor.incident.correlated.v1',
  'watchfloor.incident.acknowledged.v1', 'watchfloor.incident.escalated.v1', 'watchfloor.incident.status_changed.v1',
];

const api = new StackClient();
const step = (n: number, text: string) => process.stdout.write(`\n${n}. ${text}\n`);
const say = (text: string) => process.stdout.write(`   ${text}\n`);
const short = (type: string) => type.replace(/^watchfloor\./, '').replace(/\.v\d+$/, '');

/** What a webhook is about, in the demo's words: the incident's receipt number or the cluster. */
function about(data: Record<string, unknown>, references: Map<string, string>): string {
  const incidentId = typeof data['incidentId'] === 'string' ? data['incidentId'] : undefined;
  if (incidentId) return references.get(incidentId) ?? incidentId;
  return typeof data['clusterId'] === 'string' ? `cluster ${data['clusterId']}` : '';
}

interface Filed { report: DemoReport; id: string; reference: string }
interface TriageView { priority: string; score: number; assignee: string | null; clusterId: string | null; campaign: boolean; ackDeadline: string | null; escalationLevel: number; status: string }

async function main(): Promise<void> {
  const down = await stackIsReady();
  if (down.length > 0) throw new Error(`not ready: ${down.join(', ')}. Start the stack first: \`npm start\` (and wait for "Watchfloor is running").`);
  const run = randomBytes(2).toString('hex');
  process.stdout.write(`Watchfloor demo: an election day (run ${run}). The services' own logs are in the \`npm start\` terminal.\n`);

  step(1, 'The operations center puts its on-call rotation in place (admin).');
  await api.expect(200, ADMIN, 'triage', 'PUT', '/v1/oncall', {
    timezone: 'America/New_York',
    shifts: [{ assignee: 'dana', start: '00:00', end: '24:00' }, { assignee: 'nico', start: '00:00', end: '24:00' }],
    escalation: ['shift-lead', 'soc-manager', 'director'],
  });
  say('dana and nico on call all day; unacknowledged incidents escalate to shift-lead, soc-manager, director.');

  step(2, "An election vendor's SOAR subscribes a webhook (partner, TLP:AMBER clearance).");
  const references = new Map<string, string>();
  const receiver = new WebhookReceiver((webhook) => say(`  -> partner webhook: ${short(webhook.type).padEnd(24)} ${about(webhook.data, references)} (signature verified)`));
  await removeEarlierDemoSubscriptions();
  const target = await receiver.start();
  const subscription = await api.expect<{ id: string; secret: string }>(201, PARTNER, 'notification', 'POST', '/v1/subscriptions', {
    name: `Vendor SOAR (demo ${run})`, channel: 'webhook', target, events: PARTNER_EVENTS,
  });
  receiver.trust(subscription.secret);
  say(`subscription ${subscription.id} -> ${target}; signing secret ${subscription.secret.slice(0, 10)}... shown once.`);
  try {
    await playElectionDay(run, receiver, references, subscription.id);
  } finally {
    // The receiver goes away with this process: so does its subscription.
    await api.call(PARTNER, 'notification', 'DELETE', `/v1/subscriptions/${subscription.id}`);
    await receiver.close();
  }
  process.stdout.write(`\nDone. Explore the APIs: ${SERVICE_URLS.intake}/docs (and triage, notification, audit), with the tokens \`npm start\` printed.\n`);
}

/** A demo stopped half-way leaves its subscription behind, pointing at nothing: remove those. */
async function removeEarlierDemoSubscriptions(): Promise<void> {
  const mine = await api.expect<{ items: Array<{ id: string; name: string }> }>(200, PARTNER, 'notification', 'GET', '/v1/subscriptions?limit=100');
  for (const subscription of mine.items.filter((s) => s.name.startsWith('Vendor SOAR (demo'))) {
    await api.call(PARTNER, 'notification', 'DELETE', `/v1/subscriptions/${subscription.id}`);
  }
}

async function playElectionDay(run: string, receiver: WebhookReceiver, references: Map<string, string>, subscriptionId: string): Promise<void> {

  step(3, 'Reports come in from officials in Georgia, Pennsylvania, Arizona and Wisconsin.');
  const domain = `ga-sos-verify-${run}.com`;
  const [phishCobb, phishDekalb, phishGwinnett] = phishingWave(domain);
  const emergency = emsRansomware(randomBytes(32).toString('hex'));
  const threat = bombThreat(`+1 470 555 ${String(1000 + Number.parseInt(run, 16) % 9000).padStart(4, '0')}`);
  const filed: Filed[] = [];
  for (const report of [emergency, threat, ...otherStates(`198.51.100.${1 + (Number.parseInt(run, 16) % 250)}`), phishCobb, phishDekalb, phishGwinnett]) {
    if (!report) continue;
    const accepted = await api.expect<{ id: string; reference: string }>(201, official(report.state), 'intake', 'POST', '/v1/incidents', report.submission);
    filed.push({ report, id: accepted.id, reference: accepted.reference });
    references.set(accepted.id, accepted.reference);
    say(`${accepted.reference}  ${report.label}`);
  }

  step(4, 'Triage scores each one and assigns it to whoever is on call.');
  const views = new Map<string, TriageView>();
  for (const { report, id, reference } of filed) {
    const view = await waitFor(`triage of ${reference}`, 30_000, async () => {
      const answer = await api.call<TriageView>(OFFICER, 'triage', 'GET', `/v1/incidents/${id}`);
      return answer.status === 200 ? answer.body : undefined;
    });
    views.set(id, view);
    say(`${reference}  ${view.priority.padEnd(9)} score ${String(view.score).padEnd(6)} -> ${view.assignee ?? 'unassigned'}  (${report.label})`);
  }

  step(5, `The same look-alike domain (${domain}) in three counties: a campaign.`);
  const phishing = filed.slice(-3);
  const campaign = await waitFor('the phishing campaign', 30_000, async () => {
    const last = phishing[phishing.length - 1] as Filed;
    const view = (await api.call<TriageView>(OFFICER, 'triage', 'GET', `/v1/incidents/${last.id}`)).body;
    return view.campaign && view.clusterId ? view.clusterId : undefined;
  });
  const cluster = await api.expect<{ jurisdictions: string[]; incidentIds: string[] }>(200, OFFICER, 'triage', 'GET', `/v1/clusters/${campaign}`);
  say(`cluster ${campaign}: ${cluster.incidentIds.length} incidents in ${cluster.jurisdictions.map((j) => j.split('/').pop()).join(', ')}`);
  for (const { id, reference } of phishing) {
    const before = views.get(id)?.priority;
    const view = (await api.call<TriageView>(OFFICER, 'triage', 'GET', `/v1/incidents/${id}`)).body;
    say(`${reference}  ${view.priority}${before === view.priority ? ' (triaged after the campaign formed: raised a level at once)' : ` (was ${before}: raised a level as part of the campaign)`}`);
  }

  step(6, 'The triage officer acknowledges the bomb threat and starts working it; the county sees it.');
  const threatFiled = filed[1] as Filed;
  await api.expect(200, OFFICER, 'triage', 'POST', `/v1/incidents/${threatFiled.id}/acknowledge`);
  await api.expect(200, OFFICER, 'triage', 'POST', `/v1/incidents/${threatFiled.id}/status`, { to: 'investigating', note: 'Police on site; polling place evacuated.' });
  const seen = await waitFor("the official's view of the bomb threat", 30_000, async () => {
    const view = (await api.call<{ status: string; priority?: string }>(official('ga'), 'intake', 'GET', `/v1/incidents/${threatFiled.id}`)).body;
    return view.status === 'investigating' ? view : undefined;
  });
  say(`Clayton County's view through intake: ${threatFiled.reference} is "${seen.status}", priority ${seen.priority}.`);

  step(7, 'Nobody acknowledges the Fulton emergency: it escalates at its deadline.');
  const emergencyFiled = filed[0] as Filed;
  const deadline = views.get(emergencyFiled.id)?.ackDeadline;
  if (!deadline) throw new Error(`${emergencyFiled.reference} has no acknowledgement deadline`);
  say(`${emergencyFiled.reference} must be acknowledged by ${deadline} (waiting for it; \`npm start\` sets 60 s, production 5 min)`);
  const escalated = await waitFor(`escalation of ${emergencyFiled.reference}`, Math.max(0, Date.parse(deadline) - Date.now()) + 60_000, async () =>
    receiver.about(emergencyFiled.id, 'watchfloor.incident.escalated.v1')[0]);
  say(`escalated to level ${String(escalated.data['level'])}: ${String(escalated.data['escalatedTo'])} is paged; it repeats each period until someone acknowledges.`);
  await api.expect(200, OFFICER, 'triage', 'POST', `/v1/incidents/${emergencyFiled.id}/acknowledge`);
  const acknowledged = await waitFor(`acknowledgement of ${emergencyFiled.reference}`, 30_000, async () =>
    receiver.about(emergencyFiled.id, 'watchfloor.incident.acknowledged.v1')[0]);
  say(`dana acknowledges it (${acknowledged.data['withinDeadline'] ? 'within' : 'after'} the deadline): escalation stops.`);

  step(8, 'What the partner received.');
  const byType = new Map<string, number>();
  for (const webhook of receiver.received.values()) byType.set(short(webhook.type), (byType.get(short(webhook.type)) ?? 0) + 1);
  say(`${receiver.received.size} webhooks, every signature verified: ${[...byType].map(([type, n]) => `${n} ${type}`).join(', ')}`);
  const deliveries = await api.expect<{ items: unknown[] }>(200, PARTNER, 'notification', 'GET', `/v1/deliveries?subscriptionId=${subscriptionId}`);
  say(`notification's delivery ledger for the subscription: ${deliveries.items.length} rows.`);

  step(9, 'The auditor checks the record.');
  const timeline = await api.expect<{ items: Array<{ type: string }> }>(200, AUDITOR, 'audit', 'GET', `/v1/audit/incidents/${emergencyFiled.id}/timeline`);
  say(`${emergencyFiled.reference}: ${timeline.items.map((entry) => short(entry.type)).join(' -> ')}`);
  const verify = await api.expect<{ valid: boolean; entries: number; head: { sequence: number } }>(200, AUDITOR, 'audit', 'GET', '/v1/audit/verify');
  say(`hash chain ${verify.valid ? 'valid' : 'BROKEN'}: ${verify.entries} entries, head at sequence ${verify.head.sequence}.`);
}

main().catch((error: Error) => {
  process.stderr.write(`\ndemo stopped: ${error.message}\n`);
  process.exit(1);
});
