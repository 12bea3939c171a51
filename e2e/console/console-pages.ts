import { expectEventually } from '@watchfloor/testing';
import type { Page } from 'playwright-core';
import type { PageElement, PageGlobals } from './page-globals';

/** What the official types into the report form. */
export interface ReportInput {
  title: string;
  /** A clue (observable) of type domain, as typed. */
  domain: string;
}

/** The development sign-in: the persona button whose name starts with `persona`. */
export async function signIn(page: Page, consoleUrl: string, persona: string): Promise<void> {
  await page.goto(consoleUrl);
  await page.getByRole('button', { name: new RegExp(`^${persona}`) }).click();
}

/** Fills the report form as a county clerk would, with plain-word choices. */
export async function fillReport(page: Page, report: ReportInput): Promise<void> {
  await page.getByLabel('In one sentence, what happened?').fill(report.title);
  await page.getByLabel('Tell us more').fill('Poll workers received an e-mail asking them to re-enter their passwords on a look-alike portal.');
  await page.getByLabel('What kind of incident is it?').selectOption({ label: 'Phishing e-mail or message' });
  await page.getByLabel('Where: the jurisdiction').fill('ocd-division/country:us/state:ga/county:fulton');
  await page.getByLabel('E-mail and office IT').check();
  await page.getByLabel('What did it stop or slow down?').selectOption({ label: 'A little, in a critical system' });
  await page.getByLabel('Was any information exposed, changed or destroyed?').selectOption({ label: 'Something may have been, we do not know what' });
  await page.getByLabel('How hard does recovery look?').selectOption({ label: 'We can recover with some outside help' });
  if ((await page.getByLabel('Clue 1: what you saw').count()) === 0) await page.getByRole('button', { name: 'Add a clue' }).click();
  await page.getByLabel('Clue 1: what you saw').fill(report.domain);
  await page.getByLabel('TLP:GREEN').check();
}

/** The text of the elements an input's aria-describedby names: its hint and the error beside it. */
export function descriptionOf(page: Page, label: string): Promise<string> {
  return page.getByLabel(label).evaluate((input: PageElement) =>
    (input.getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id: string) => (globalThis as unknown as PageGlobals).document.getElementById(id)?.textContent ?? '')
      .join(' '),
  );
}

/** Presses Tab until the focused element's text (or id) matches, as a keyboard user would; fails after `max` presses. */
export async function tabTo(page: Page, target: RegExp, max = 80): Promise<void> {
  for (let presses = 0; presses < max; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const element = (globalThis as unknown as PageGlobals).document.activeElement;
      return element ? `${element.textContent ?? ''} #${element.id}` : '';
    });
    if (target.test(focused)) return;
  }
  throw new Error(`Tab never reached ${target} in ${max} presses`);
}

/** An incident filed straight through intake's API (not the form), and its id once triage has it. */
export async function anIncident(
  api: (service: string, path: string, token: string, body?: unknown) => Promise<Response>,
  tokens: Record<string, string>,
  title: string,
): Promise<string> {
  const created = await api('intake', '/v1/incidents', tokens['official'] ?? '', {
    title,
    description: 'Voters were told by text message that their polling place had moved.',
    category: 'disinformation',
    jurisdiction: 'ocd-division/country:us/state:ga/county:cobb',
    affectedAssets: ['polling_place'],
    impacts: { functionalImpact: 'minimal_non_critical', informationImpact: 'no_impact', recoverability: 'regular' },
    observables: [{ type: 'phone', value: '+1 404 555 0100' }],
    reporter: { name: 'Cobb County clerk' },
  });
  if (created.status !== 201) throw new Error(`intake answered ${created.status}: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  await expectEventually(async () => {
    const status = (await api('triage', `/v1/incidents/${id}`, tokens['triage'] ?? '')).status;
    if (status !== 200) throw new Error(`triage answers ${status} for incident ${id}`);
  }, { timeoutMs: 15_000, intervalMs: 100 });
  return id;
}

/** Whether the focused element is inside the element `selector` finds. */
export function focusIsIn(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((inside: string) => !!(globalThis as unknown as PageGlobals).document.activeElement?.closest(inside), selector);
}

type Api = (service: string, path: string, token: string, body?: unknown, method?: string) => Promise<Response>;

/**
 * A campaign: three reports from three Georgia counties sharing the domain `domain`, filed
 * through intake's API. Resolves with their ids once triage shows them as one campaign.
 */
export async function aCampaign(api: Api, tokens: Record<string, string>, domain: string): Promise<{ clusterId: string; incidentIds: string[] }> {
  const incidentIds: string[] = [];
  for (const county of ['fulton', 'dekalb', 'gwinnett']) {
    const created = await api('intake', '/v1/incidents', tokens['official'] ?? '', {
      title: `Look-alike results site ${domain} seen in ${county}`,
      description: 'Voters were sent a link to a results site that is not ours.',
      category: 'website_defacement',
      jurisdiction: `ocd-division/country:us/state:ga/county:${county}`,
      affectedAssets: ['enr_website'],
      impacts: { functionalImpact: 'minimal_non_critical', informationImpact: 'no_impact', recoverability: 'regular' },
      observables: [{ type: 'domain', value: domain }],
      reporter: { name: `${county} clerk` },
    });
    if (created.status !== 201) throw new Error(`intake answered ${created.status}: ${await created.text()}`);
    incidentIds.push(((await created.json()) as { id: string }).id);
  }
  let clusterId = '';
  await expectEventually(async () => {
    const response = await api('triage', `/v1/incidents/${incidentIds[0]}`, tokens['triage'] ?? '');
    const incident = (await response.json()) as { cluster?: { id: string; campaign: boolean; incidentIds: string[] } | null };
    expect(incident.cluster?.campaign).toBe(true);
    expect(incident.cluster?.incidentIds).toEqual(expect.arrayContaining(incidentIds));
    clusterId = incident.cluster?.id ?? '';
  }, { timeoutMs: 15_000, intervalMs: 100 });
  return { clusterId, incidentIds };
}

/** Waits until audit has recorded the incident (its timeline answers 200 to the auditor). */
export async function recordedByAudit(api: Api, tokens: Record<string, string>, incidentId: string): Promise<void> {
  await expectEventually(async () => {
    expect((await api('audit', `/v1/audit/incidents/${incidentId}/timeline`, tokens['auditor'] ?? '')).status).toBe(200);
  }, { timeoutMs: 15_000, intervalMs: 100 });
}
