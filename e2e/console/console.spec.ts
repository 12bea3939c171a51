import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectEventually, startWebhookReceiver } from '@watchfloor/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations, sidewaysOverflow } from './accessibility';
import { launchChromium, newPage as openPage } from './browser';
import type { PageGlobals } from './page-globals';
import { aCampaign, anIncident, descriptionOf, fillReport, focusIsIn, recordedByAudit, signIn, tabTo } from './console-pages';
import { startStack, type RunningStack } from './stack';

// The console in Debian's Chromium against `npm start` (the four services on Postgres and NATS,
// the console's dev server and its proxy): what an official, a triage officer, a partner and
// an auditor do.
// CONSOLE_SCREENSHOTS=<dir> also saves each page at 1280 and 360 px wide there.
const SCREENSHOTS = process.env['CONSOLE_SCREENSHOTS'];

describe('the console, in a real browser, against npm start', () => {
  let stack: RunningStack;
  let browser: Browser;

  beforeAll(async () => {
    // One after the other: a browser launched beside a stack that failed to start would be left running.
    stack = await startStack();
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  /** A page of its own (its own sessionStorage: its own sign-in), failing the test on a script error. */
  const newPage = (width?: number) => openPage(browser, width);

  /** Incidents of the official's jurisdiction titled `title`, read through the console's proxy. */
  async function reportsTitled(title: string): Promise<number> {
    const response = await stack.api('intake', '/v1/incidents?limit=200', stack.tokens['official'] ?? '');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as { items: Array<{ title: string }> };
    return items.filter((item) => item.title === title).length;
  }

  it('an official files a report; triage sees it arrive without a reload, acknowledges it, takes it on; the official sees each status', async () => {
    const title = `Phishing e-mail impersonating the Secretary of State ${Date.now()}`;
    const [official, triage] = await Promise.all([newPage(), newPage()]);

    await signIn(triage, stack.consoleUrl, 'On-call triage officer');
    await triage.getByText('Live: changes appear as they happen').waitFor();
    // Set once: a reload of the page would lose it.
    await triage.evaluate(() => ((globalThis as unknown as PageGlobals).loadedOnce = true));

    await signIn(official, stack.consoleUrl, 'Georgia election official');
    await fillReport(official, { title, domain: 'sos-georgia-verify.com' });
    await official.getByRole('button', { name: 'Send the report' }).click();
    await official.getByRole('heading', { name: 'Report received' }).waitFor();
    const reference = await official.locator('.receipt .reference').innerText();
    expect(reference).toMatch(/^WF-\d{4}-\d{6}$/);

    const arrived = Date.now();
    const inQueue = triage.getByRole('link', { name: title });
    await inQueue.waitFor();
    const secondsToAppear = (Date.now() - arrived) / 1000;
    expect(await triage.evaluate(() => (globalThis as unknown as PageGlobals).loadedOnce)).toBe(true);
    expect(secondsToAppear).toBeLessThan(5);

    await inQueue.click();
    await triage.getByRole('heading', { name: title }).waitFor();
    await triage.getByRole('heading', { name: /^Score \d+\.\d\d → / }).waitFor();
    await triage.getByRole('button', { name: 'Acknowledge' }).click();
    await triage.locator('.card-meta .status').getByText('Acknowledged').waitFor();

    await official.getByRole('link', { name: 'Follow this report' }).click();
    await official.locator('.status-line').getByText('Acknowledged').waitFor({ timeout: 20_000 });

    await triage.getByLabel('Change status to').selectOption({ label: 'Investigating' });
    await triage.getByRole('button', { name: 'Change status' }).click();
    await triage.locator('.card-meta .status').getByText('Investigating').waitFor();
    await official.locator('.status-line').getByText('Investigating').waitFor({ timeout: 20_000 });
    await official.getByText(reference).waitFor();
  }, 90_000);

  it('a bad field shows its error beside that field and creates nothing', async () => {
    const title = `Defaced results page ${Date.now()}`;
    const official = await newPage();
    await signIn(official, stack.consoleUrl, 'Georgia election official');
    await fillReport(official, { title, domain: 'not a domain!!' });
    await official.getByRole('button', { name: 'Send the report' }).click();

    const summary = official.getByRole('alert').filter({ hasText: 'The report was not sent' });
    await summary.waitFor();
    expect(await descriptionOf(official, 'Clue 1: what you saw')).toMatch(/domain/);
    expect(await official.getByLabel('Clue 1: what you saw').getAttribute('aria-invalid')).toBe('true');
    expect(await descriptionOf(official, 'In one sentence, what happened?')).not.toMatch(/must|invalid/);
    // The summary's link takes the keyboard to the field.
    await summary.getByRole('link').first().click();
    expect(await official.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.id)).toBe('report-observables-0-value');
    expect(await reportsTitled(title)).toBe(0);

    // Corrected, it goes through once.
    await official.getByLabel('Clue 1: what you saw').fill('results-georgia-gov.com');
    await official.getByRole('button', { name: 'Send the report' }).click();
    await official.getByRole('heading', { name: 'Report received' }).waitFor();
    await expectEventually(async () => expect(await reportsTitled(title)).toBe(1), { timeoutMs: 5_000, intervalMs: 100 });
  }, 60_000);

  it('an edit that lost a race (412) says who changed what and offers a reload, after which it goes through', async () => {
    const title = `Text messages moving a polling place ${Date.now()}`;
    const id = await anIncident(stack.api, stack.tokens, title);
    const [winner, loser] = await Promise.all([newPage(), newPage()]);
    for (const page of [winner, loser]) {
      await signIn(page, stack.consoleUrl, 'On-call triage officer');
      await page.getByRole('heading', { name: 'Queue' }).waitFor();
      await page.goto(`${stack.consoleUrl}/queue/${id}`);
      await page.getByRole('heading', { name: title }).waitFor();
    }
    await winner.getByRole('button', { name: 'Acknowledge' }).click();
    await winner.locator('.card-meta .status').getByText('Acknowledged').waitFor();

    await loser.getByRole('button', { name: 'Assign to me' }).click();
    const lost = loser.getByRole('alert').filter({ hasText: 'Someone else changed this incident first' });
    await lost.getByText('acknowledged by triage-1').waitFor();
    expect(await loser.locator('.card-meta .status').innerText()).toBe('New');
    await lost.getByRole('button', { name: 'Reload the incident' }).click();
    await loser.locator('.card-meta .status').getByText('Acknowledged').waitFor();
    expect(await lost.count()).toBe(0);
    await loser.getByRole('button', { name: 'Assign to me' }).click();
    await loser.getByText('assigned to triage-1').waitFor();
  }, 60_000);

  it('an override needs a reason: without one the API says so and nothing changes; with one the level and the reason show', async () => {
    const title = `Robocalls giving the wrong election date ${Date.now()}`;
    const id = await anIncident(stack.api, stack.tokens, title);
    const page = await newPage();
    await signIn(page, stack.consoleUrl, 'On-call triage officer');
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.goto(`${stack.consoleUrl}/queue/${id}`);
    await page.getByRole('heading', { name: title }).waitFor();
    const level = page.locator('.card-meta .priority');
    const before = await level.innerText();

    await page.getByLabel('Override the priority').selectOption({ label: 'High' });
    await page.getByRole('button', { name: 'Override' }).click();
    await page.getByRole('alert').getByText(/reason/).waitFor();
    expect(await level.innerText()).toBe(before);

    await page.getByLabel('Why (required; kept in the record)').fill('The same calls are reported in three counties');
    await page.getByRole('button', { name: 'Override' }).click();
    await level.getByText('High').waitFor();
    await page.getByText('Overridden to High by triage-1: The same calls are reported in three counties').waitFor();
  }, 60_000);

  it('works with the keyboard alone: sign in, open an incident from the queue, acknowledge it; the skip link skips the header', async () => {
    const title = `Keyboard: e-pollbook sync failing ${Date.now()}`;
    await anIncident(stack.api, stack.tokens, title);
    const page = await newPage();
    await page.goto(stack.consoleUrl);
    await page.getByRole('button', { name: /^On-call triage officer/ }).waitFor();
    await tabTo(page, /^On-call triage officer/);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: title }).waitFor();
    // A new page takes the focus: the next Tab is in its content, not back in the header.
    await page.keyboard.press('Tab');
    expect(await focusIsIn(page, 'main')).toBe(true);
    await tabTo(page, new RegExp(`^${title}`));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: title }).waitFor();
    await tabTo(page, /^Acknowledge/);
    await page.keyboard.press('Enter');
    await page.locator('.card-meta .status').getByText('Acknowledged').waitFor();

    await page.reload();
    await page.getByRole('heading', { name: title }).waitFor();
    await tabTo(page, /^Skip to content/, 1);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focusIsIn(page, 'main')).toBe(true);
  }, 60_000);

  it('a partner subscribes a webhook (a bad address refused beside its field), sees a delivery arrive in its ledger without a reload, retries a failed one, rotates the secret, changes and deletes the subscription', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const name = `Vendor SOAR ${Date.now()}`;
      const partner = await newPage();
      await signIn(partner, stack.consoleUrl, 'Election vendor partner');
      await partner.getByRole('heading', { name: 'My subscriptions' }).waitFor();
      expect(await partner.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Subscriptions', 'Deliveries']);
      await partner.getByRole('button', { name: 'New subscription' }).click();
      await partner.getByLabel('Name', { exact: true }).fill(name);
      await partner.getByLabel('Webhook address (URL)').fill('not an address');
      // Only reports: one delivery per incident, so the ledger row of an incident is one row.
      await partner.getByLabel('Triaged: scored and given a priority').uncheck();
      await partner.getByRole('button', { name: 'Subscribe' }).click();
      await partner.getByRole('alert').filter({ hasText: 'The subscription was not sent' }).waitFor();
      expect(await descriptionOf(partner, 'Webhook address (URL)')).toMatch(/target|URL|address/i);
      expect(await partner.getByLabel('Webhook address (URL)').getAttribute('aria-invalid')).toBe('true');
      const mine = async () => {
        const response = await stack.api('notification', '/v1/subscriptions?limit=200', stack.tokens['partner'] ?? '');
        return ((await response.json()) as { items: Array<{ name: string }> }).items.filter((item) => item.name === name).length;
      };
      expect(await mine()).toBe(0);

      await partner.getByLabel('Webhook address (URL)').fill(`${receiver.url}/watchfloor`);
      await partner.getByRole('button', { name: 'Subscribe' }).click();
      await partner.getByRole('heading', { name: `Subscribed: the signing secret of ${name}` }).waitFor();
      const secret = await partner.locator('.secret-value code').innerText();
      expect(secret).toMatch(/^whsec_/);
      await partner.getByRole('button', { name: 'I have kept it' }).click();
      expect(await partner.getByText(secret).count()).toBe(0);

      await partner.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
      await partner.getByRole('heading', { name: 'Deliveries' }).waitFor();
      await partner.evaluate(() => ((globalThis as unknown as PageGlobals).loadedOnce = true));
      const delivered = await anIncident(stack.api, stack.tokens, `Fake poll-closing texts ${Date.now()}`);
      const row = (incidentId: string) => partner.locator('tr', { has: partner.locator(`code[title="${incidentId}"]`) });
      await row(delivered).getByText('Delivered').waitFor();
      expect(await partner.evaluate(() => (globalThis as unknown as PageGlobals).loadedOnce)).toBe(true);
      expect(receiver.received.size).toBe(1);

      // A receiver in trouble: the delivery fails; "Retry" sends it again at once (accepted
      // while the receiver still fails), and once the receiver is back it arrives.
      receiver.behave('failing');
      const failed = await anIncident(stack.api, stack.tokens, `Fake ballot-return deadline ${Date.now()}`);
      await row(failed).getByText('Failed, will retry').waitFor();
      await row(failed).getByRole('button', { name: /^Retry/ }).click();
      await partner.getByRole('status').getByText(`Sent again: reported to ${name}.`).waitFor();
      receiver.behave('ok');
      await row(failed).getByText('Delivered').waitFor();
      expect(receiver.received.size).toBe(2);

      await partner.getByRole('navigation').getByRole('link', { name: 'Subscriptions' }).click();
      await partner.getByRole('button', { name: `Rotate the secret of ${name}` }).click();
      await partner.getByRole('heading', { name: `New signing secret of ${name}` }).waitFor();
      const rotated = await partner.locator('.secret-value code').innerText();
      expect(rotated).toMatch(/^whsec_/);
      expect(rotated).not.toBe(secret);
      await partner.getByRole('button', { name: 'I have kept it' }).click();

      await partner.getByRole('button', { name: `Change ${name}` }).click();
      await partner.getByLabel('Name', { exact: true }).fill(`${name} (renamed)`);
      await partner.getByRole('button', { name: 'Save the changes' }).click();
      await partner.getByRole('heading', { name: `${name} (renamed)` }).waitFor();
      await partner.getByRole('button', { name: `Delete ${name} (renamed)` }).click();
      await partner.getByRole('button', { name: 'Delete it' }).click();
      await expectEventually(async () => expect(await partner.getByRole('heading', { name: `${name} (renamed)` }).count()).toBe(0), { timeoutMs: 5_000, intervalMs: 100 });
    } finally {
      await receiver.close();
    }
  }, 90_000);

  it('an auditor verifies the chain and sees it valid, reads an incident\'s recorded timeline and downloads the export', async () => {
    const title = `Audit: tabulator seal found broken ${Date.now()}`;
    const id = await anIncident(stack.api, stack.tokens, title);
    await recordedByAudit(stack.api, stack.tokens, id);
    const auditor = await newPage();
    await signIn(auditor, stack.consoleUrl, 'Oversight auditor');
    await auditor.getByRole('heading', { name: 'Audit record' }).waitFor();
    expect(await auditor.getByRole('navigation').getByRole('link').allInnerTexts()).toEqual(['Audit record']);
    await auditor.getByRole('button', { name: 'Verify the chain' }).waitFor();
    // With the keyboard, as every page allows.
    await tabTo(auditor, /^Verify the chain/);
    await auditor.keyboard.press('Enter');
    await auditor.getByRole('status').getByText('✓ The chain is valid').waitFor();

    await auditor.getByRole('link', { name: title }).click();
    await auditor.getByRole('heading', { name: `Recorded timeline: ${title}` }).waitFor();
    await auditor.getByRole('cell', { name: 'reported', exact: true }).waitFor();

    await auditor.getByRole('link', { name: '← Back to the audit record' }).click();
    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('button', { name: 'Download JSONL (to verify)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^watchfloor-audit-.*\.jsonl$/);
    const path = await download.path();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { record: string; incidentIds?: string[] });
    expect(lines[0]?.record).toBe('header');
    expect(lines.some((line) => line.record === 'entry' && line.incidentIds?.includes(id))).toBe(true);
  }, 60_000);

  it('triage sees a campaign across three counties and opens its incidents; on call shows who is on now and next', async () => {
    const domain = `results-ga-${Date.now()}.com`;
    const { clusterId, incidentIds } = await aCampaign(stack.api, stack.tokens, domain);
    // Two shifts a day (UTC): whoever is on now, the other is next.
    const rotation = await stack.api('triage', '/v1/oncall', stack.tokens['admin'] ?? '', {
      timezone: 'UTC',
      shifts: [{ assignee: 'analyst-day', start: '00:00', end: '12:00' }, { assignee: 'analyst-night', start: '12:00', end: '24:00' }],
      escalation: ['floor-lead'],
    }, 'PUT');
    expect(rotation.status).toBe(200);

    const triage = await newPage();
    await signIn(triage, stack.consoleUrl, 'On-call triage officer');
    await triage.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click();
    const card = triage.getByRole('listitem').filter({ hasText: domain });
    await card.getByRole('link', { name: '3 incidents across 3 jurisdictions' }).click();
    await triage.getByRole('heading', { name: 'Campaign across 3 jurisdictions' }).waitFor();
    await triage.getByRole('region', { name: 'Jurisdictions' }).getByText('Gwinnett County, Georgia').waitFor();
    await triage.getByRole('link', { name: `Look-alike results site ${domain} seen in dekalb` }).click();
    await triage.getByRole('heading', { name: `Look-alike results site ${domain} seen in dekalb` }).waitFor();
    expect(await triage.getByRole('link', { name: 'See the campaign' }).getAttribute('href')).toBe(`/campaigns/${clusterId}`);
    expect(incidentIds).toHaveLength(3);

    await triage.getByRole('navigation').getByRole('link', { name: 'On call' }).click();
    const now = triage.getByRole('region', { name: 'On call now' });
    const next = triage.getByRole('region', { name: 'Next' });
    await now.getByText(/^analyst-(day|night)$/).waitFor();
    const onNow = await now.getByText(/^analyst-(day|night)$/).innerText();
    await next.getByText(onNow === 'analyst-day' ? 'analyst-night' : 'analyst-day').waitFor();
    await triage.getByRole('cell', { name: 'analyst-night' }).waitFor();
    await triage.getByText('Level 1 and beyond: floor-lead').waitFor();

    // The queue filters by anyone on the rotation, and by a state picked by name.
    const assigned = await stack.api('triage', `/v1/incidents/${incidentIds[1]}/assign`, stack.tokens['triage'] ?? '', { assignee: 'analyst-night' });
    expect(assigned.status).toBe(200);
    await triage.getByRole('navigation').getByRole('link', { name: 'Queue' }).click();
    const dekalb = triage.getByRole('link', { name: `Look-alike results site ${domain} seen in dekalb` });
    const fulton = triage.getByRole('link', { name: `Look-alike results site ${domain} seen in fulton` });
    await fulton.waitFor();
    await triage.getByLabel('Assignee').selectOption({ label: 'analyst-night' });
    await dekalb.waitFor();
    await fulton.waitFor({ state: 'detached' });
    expect(await triage.locator('#queue-states option[value="ocd-division/country:us/state:ga"]').getAttribute('label')).toBe('Georgia');
  }, 60_000);

  /** Walks every page of the console as an official and a triage officer do, calling `visit` on each once it is shown. */
  async function everyPage(visit: (page: Page, name: string) => Promise<void>): Promise<void> {
    const title = `Poll workers phished for their passwords ${Date.now()}`;
    const [official, triage] = await Promise.all([newPage(), newPage()]);
    await official.goto(stack.consoleUrl);
    await official.getByRole('button', { name: /^Georgia election official/ }).waitFor();
    await visit(official, 'sign-in');
    await official.getByRole('button', { name: /^Georgia election official/ }).click();
    await official.getByRole('heading', { name: 'Report an incident' }).waitFor();
    await visit(official, 'report-form');
    await fillReport(official, { title, domain: 'not a domain!!' });
    await official.getByRole('button', { name: 'Send the report' }).click();
    await official.getByRole('heading', { name: /please correct/ }).waitFor();
    await visit(official, 'report-form-errors');
    await official.getByLabel('Clue 1: what you saw').fill('polling-threat.example.com');
    await official.getByRole('button', { name: 'Send the report' }).click();
    await official.getByRole('heading', { name: 'Report received' }).waitFor();
    await visit(official, 'receipt');
    await official.getByRole('link', { name: 'Follow this report' }).click();
    await official.getByRole('heading', { name: 'Where it stands' }).waitFor();
    await visit(official, 'report');
    await official.getByRole('link', { name: 'My reports' }).click();
    await official.getByRole('link', { name: title }).waitFor();
    await visit(official, 'my-reports');

    await signIn(triage, stack.consoleUrl, 'On-call triage officer');
    await triage.getByRole('link', { name: title }).waitFor();
    await triage.getByText('Live: changes appear as they happen').waitFor();
    await visit(triage, 'queue');
    await triage.getByRole('link', { name: title }).click();
    await triage.getByRole('heading', { name: /^Score / }).waitFor();
    await visit(triage, 'incident');

    // Campaigns, on call, a partner's subscriptions and deliveries, the audit record: with
    // data of their own (a subscription to an address nobody answers on, so its deliveries
    // fail and offer a retry; a campaign whose reports it gets).
    const domain = `phish-${Date.now()}.com`;
    const subscribed = await stack.api('notification', '/v1/subscriptions', stack.tokens['partner'] ?? '', {
      name: 'Takedown desk',
      channel: 'webhook',
      target: 'http://127.0.0.1:9/watchfloor',
      events: ['watchfloor.incident.reported.v1'],
    });
    expect(subscribed.status).toBe(201);
    const { incidentIds } = await aCampaign(stack.api, stack.tokens, domain);
    await triage.getByRole('navigation').getByRole('link', { name: 'Campaigns' }).click();
    const card = triage.getByRole('listitem').filter({ hasText: domain });
    await card.waitFor();
    await visit(triage, 'campaigns');
    await card.getByRole('link').click();
    await triage.getByRole('heading', { name: 'Shared clues' }).waitFor();
    await triage.getByRole('link', { name: `Look-alike results site ${domain} seen in fulton` }).waitFor();
    await visit(triage, 'campaign');
    await triage.getByRole('navigation').getByRole('link', { name: 'On call' }).click();
    await triage.getByRole('heading', { name: 'The rotation' }).waitFor();
    await visit(triage, 'oncall');

    const [partner, auditor] = await Promise.all([newPage(), newPage()]);
    await signIn(partner, stack.consoleUrl, 'Election vendor partner');
    await partner.getByRole('heading', { name: 'Takedown desk' }).waitFor();
    await visit(partner, 'subscriptions');
    await partner.getByRole('button', { name: 'New subscription' }).click();
    await partner.getByLabel('Name', { exact: true }).fill('Vendor SOAR');
    await partner.getByLabel('Webhook address (URL)').fill('ftp://soar.example');
    await partner.getByRole('button', { name: 'Subscribe' }).click();
    await partner.getByRole('heading', { name: /please correct/ }).waitFor();
    await visit(partner, 'subscription-form-errors');
    await partner.getByRole('button', { name: 'Cancel' }).click();
    await partner.getByRole('navigation').getByRole('link', { name: 'Deliveries' }).click();
    await partner.locator('tr', { has: partner.locator(`code[title="${incidentIds[0]}"]`) }).getByRole('button', { name: /^Retry/ }).waitFor();
    await visit(partner, 'deliveries');

    await signIn(auditor, stack.consoleUrl, 'Oversight auditor');
    await auditor.getByRole('button', { name: 'Verify the chain' }).click();
    await auditor.getByText('The chain is valid').waitFor();
    await visit(auditor, 'audit');
    await recordedByAudit(stack.api, stack.tokens, incidentIds[0] ?? '');
    await auditor.getByLabel("Open an incident's timeline by its id").fill(incidentIds[0] ?? '');
    await auditor.getByRole('button', { name: 'Open', exact: true }).click();
    await auditor.getByRole('cell', { name: 'reported', exact: true }).waitFor();
    await visit(auditor, 'audit-timeline');
    await Promise.all([official, triage, partner, auditor].map((page) => page.context().close()));
  }

  const screenshot = async (page: Page, name: string, width: number) => {
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  };

  // One walk for both checks (each page as it is shown at 1280 px, then the same page narrowed
  // to 360 px): half the time of a walk per width, and the page is in the same state for both.
  it('on every page axe finds no serious or critical WCAG 2.1 AA violation, and at 360 px wide none scrolls sideways', async () => {
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    const problems: string[] = [];
    await everyPage(async (page, name) => {
      problems.push(...(await seriousViolations(page)).map((violation) => `${name}: ${violation}`));
      await screenshot(page, name, 1280);
      await page.setViewportSize({ width: 360, height: 900 });
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) problems.push(`${name} is ${overflow} px too wide at 360 px`);
      await screenshot(page, name, 360);
      await page.setViewportSize({ width: 1280, height: 900 });
    });
    expect(problems).toEqual([]);
  }, 240_000);
});
