import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectEventually } from '@watchfloor/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations, sidewaysOverflow } from './accessibility';
import { launchChromium } from './browser';
import type { PageGlobals } from './page-globals';
import { anIncident, descriptionOf, fillReport, focusIsIn, signIn, tabTo } from './console-pages';
import { startStack, type RunningStack } from './stack';

// The console in Debian's Chromium against `npm start` (the four services on Postgres and NATS,
// the console's dev server and its proxy): what an official and a triage officer do.
// CONSOLE_SCREENSHOTS=<dir> also saves each page at 1280 and 360 px wide there.
const SCREENSHOTS = process.env['CONSOLE_SCREENSHOTS'];
const ACT_MS = 15_000;

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
  async function newPage(width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(ACT_MS);
    page.on('pageerror', (error) => {
      throw error;
    });
    return page;
  }

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

  /** Walks every page of the console as an official and a triage officer do, calling `visit` on each once it is shown. */
  async function everyPage(width: number, visit: (page: Page, name: string) => Promise<void>): Promise<void> {
    const title = `Poll workers phished for their passwords ${width}-${Date.now()}`;
    const [official, triage] = await Promise.all([newPage(width), newPage(width)]);
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
    await Promise.all([official.context().close(), triage.context().close()]);
  }

  const screenshot = async (page: Page, name: string, width: number) => {
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
  };

  it('axe finds no serious or critical WCAG 2.1 AA violation on any page', async () => {
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
    const problems: string[] = [];
    await everyPage(1280, async (page, name) => {
      problems.push(...(await seriousViolations(page)).map((violation) => `${name}: ${violation}`));
      await screenshot(page, name, 1280);
    });
    expect(problems).toEqual([]);
  }, 120_000);

  it('at 360 px wide no page scrolls sideways', async () => {
    const overflowing: string[] = [];
    await everyPage(360, async (page, name) => {
      const overflow = await sidewaysOverflow(page);
      if (overflow > 0) overflowing.push(`${name} is ${overflow} px too wide`);
      await screenshot(page, name, 360);
    });
    expect(overflowing).toEqual([]);
  }, 60_000);
});
