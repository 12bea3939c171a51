import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expectEventually } from '@watchfloor/testing';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations, sidewaysOverflow } from './accessibility';
import { launchChromium, newPage as openPage } from './browser';
import { anIncident, descriptionOf, signIn } from './console-pages';
import { startStack, type RunningStack } from './stack';

// The administrators' pages (the rotation, exercises) and an official's update with clues,
// systems and impact, in Debian's Chromium against `npm start`; each new page checked by axe
// at 1280 px and for sideways scrolling at 360 px, as console.spec.ts does for the others.
// CONSOLE_SCREENSHOTS=<dir> also saves each page at 1280 and 360 px wide there.
const SCREENSHOTS = process.env['CONSOLE_SCREENSHOTS'];

interface RotationRead {
  version: number;
  timezone: string;
  shifts: Array<{ assignee: string; start: string; end: string; days?: string[] }>;
  escalation: string[];
}

// Each page is also checked by axe (no serious or critical WCAG 2.1 AA violation) and at 360 px.
describe("the console's administrators' pages and an official's update, in a real browser, against npm start", () => {
  let stack: RunningStack;
  let browser: Browser;
  const problems: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
    if (SCREENSHOTS) mkdirSync(SCREENSHOTS, { recursive: true });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const newPage = () => openPage(browser);

  /** axe at 1280 px, then the same page at 360 px must not scroll sideways; each test ends by expecting none found. */
  async function check(page: Page, name: string): Promise<void> {
    problems.push(...(await seriousViolations(page)).map((violation) => `${name}: ${violation}`));
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 360, height: 900 });
    const overflow = await sidewaysOverflow(page);
    if (overflow > 0) problems.push(`${name} is ${overflow} px too wide at 360 px`);
    if (SCREENSHOTS) await page.screenshot({ path: join(SCREENSHOTS, `${name}-360.png`), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const readRotation = async (): Promise<RotationRead> => (await (await stack.api('triage', '/v1/oncall', stack.tokens['admin'] ?? '')).json()) as RotationRead;

  it('an administrator edits the rotation: a bad time is refused beside its field, a save goes through, a save that lost a race says so and may save over it', async () => {
    const admin = await newPage();
    await signIn(admin, stack.consoleUrl, 'Deployment operator');
    await admin.getByRole('navigation').getByRole('link', { name: 'Edit rotation' }).click();
    await admin.getByRole('heading', { name: 'Edit the on-call rotation' }).waitFor();
    const before = await readRotation();

    await admin.getByLabel('Time zone').fill('America/New_York');
    for (const [index, [who, from, to]] of [['analyst-day', '07:00', '19:00'], ['analyst-night', '19:00', '25:00']].entries()) {
      await admin.getByRole('button', { name: 'Add a shift' }).click();
      await admin.getByLabel(`Shift ${index + 1}: who`).fill(who ?? '');
      await admin.getByLabel(`Shift ${index + 1}: from`).fill(from ?? '');
      await admin.getByLabel(`Shift ${index + 1}: to`).fill(to ?? '');
    }
    await admin.getByRole('group', { name: 'Shift 2' }).getByLabel('Sat').check();
    await admin.getByRole('group', { name: 'Shift 2' }).getByLabel('Sun').check();
    await admin.getByRole('button', { name: 'Add a contact' }).click();
    await admin.getByLabel('Level 1').fill('floor-lead');
    await admin.getByRole('button', { name: 'Save the rotation' }).click();

    await admin.getByRole('heading', { name: /The rotation was not sent: please correct/ }).waitFor();
    expect(await descriptionOf(admin, 'Shift 2: to')).toMatch(/end/);
    expect(await admin.getByLabel('Shift 2: to').getAttribute('aria-invalid')).toBe('true');
    expect(await admin.getByLabel('Shift 1: to').getAttribute('aria-invalid')).toBeNull();
    expect((await readRotation()).version).toBe(before.version);
    await check(admin, 'rotation-errors');

    await admin.getByLabel('Shift 2: to').fill('07:00');
    await admin.getByRole('button', { name: 'Save the rotation' }).click();
    await admin.getByText(`Saved: the rotation is now version ${before.version + 1}.`).waitFor();
    expect(await readRotation()).toMatchObject({
      version: before.version + 1,
      timezone: 'America/New_York',
      shifts: [{ assignee: 'analyst-day', start: '07:00', end: '19:00' }, { assignee: 'analyst-night', start: '19:00', end: '07:00', days: ['sat', 'sun'] }],
      escalation: ['floor-lead'],
    });
    await check(admin, 'rotation');

    // Another administrator saves in between (through the API); this page's next save names the version it read.
    const theirs = await stack.api('triage', '/v1/oncall', stack.tokens['admin'] ?? '', { timezone: 'UTC', shifts: [{ assignee: 'someone-else', start: '00:00', end: '24:00' }], escalation: [] }, 'PUT');
    expect(theirs.status).toBe(200);
    await admin.getByLabel('Level 1').fill('shift-lead');
    await admin.getByRole('button', { name: 'Save the rotation' }).click();
    await admin.getByRole('heading', { name: 'Someone else changed the rotation first: yours was not saved' }).waitFor();
    await admin.getByText(`Version ${before.version + 2}, set`).first().waitFor();
    expect((await readRotation()).shifts).toEqual([{ assignee: 'someone-else', start: '00:00', end: '24:00' }]);
    await admin.getByRole('button', { name: 'Save mine over theirs' }).click();
    await admin.getByText(`Saved: the rotation is now version ${before.version + 3}.`).waitFor();
    expect(await readRotation()).toMatchObject({ version: before.version + 3, escalation: ['shift-lead'] });
    expect((await readRotation()).shifts).toHaveLength(2);
    expect(problems.splice(0)).toEqual([]);
  }, 90_000);

  it('an administrator looks up an exercise, is asked to confirm, and purges it on intake, triage and notification', async () => {
    const exercise = `ga-tabletop-${Date.now()}`;
    const ids: string[] = [];
    for (const title of ['Inject 1: phishing of poll workers', 'Inject 2: defaced results page']) {
      const created = await stack.api('intake', '/v1/incidents', stack.tokens['official'] ?? '', {
        title,
        description: 'An inject of the tabletop exercise.',
        category: 'phishing',
        jurisdiction: 'ocd-division/country:us/state:ga/county:fulton',
        affectedAssets: ['email_office_it'],
        impacts: { functionalImpact: 'minimal_non_critical', informationImpact: 'no_impact', recoverability: 'regular' },
        observables: [{ type: 'domain', value: `${exercise}.example.com` }],
        reporter: { name: 'Exercise control' },
        exercise,
      });
      expect(created.status).toBe(201);
      ids.push(((await created.json()) as { id: string }).id);
    }
    await expectEventually(async () => {
      for (const id of ids) expect((await stack.api('triage', `/v1/incidents/${id}`, stack.tokens['triage'] ?? '')).status).toBe(200);
    }, { timeoutMs: 15_000, intervalMs: 100 });

    const admin = await newPage();
    await signIn(admin, stack.consoleUrl, 'Deployment operator');
    await admin.getByRole('navigation').getByRole('link', { name: 'Exercises' }).click();
    await admin.getByRole('heading', { name: 'Exercises', exact: true }).waitFor();
    // A malformed id: the API's refusal beside the field, nothing looked up.
    await admin.getByLabel('Exercise id').fill('Not an exercise!');
    await admin.getByRole('button', { name: 'Look it up' }).click();
    await expectEventually(async () => expect(await descriptionOf(admin, 'Exercise id')).toMatch(/exercise must be an exercise id/), { timeoutMs: 10_000, intervalMs: 100 });

    await admin.getByLabel('Exercise id').fill(exercise);
    await admin.getByRole('button', { name: 'Look it up' }).click();
    await admin.getByText('Intake holds 2 reports of this exercise:').waitFor();
    await admin.getByText('Inject 2: defaced results page').waitFor();
    await admin.getByRole('button', { name: `Purge ${exercise}…` }).click();
    const confirm = admin.getByRole('group', { name: `Purge exercise ${exercise}?` });
    await confirm.waitFor();
    await check(admin, 'exercises');
    // Keeping it deletes nothing.
    await confirm.getByRole('button', { name: 'Keep it' }).click();
    expect((await stack.api('intake', `/v1/incidents/${ids[0]}`, stack.tokens['official'] ?? '')).status).toBe(200);

    await admin.getByRole('button', { name: `Purge ${exercise}…` }).click();
    await confirm.getByRole('button', { name: 'Purge it' }).click();
    const result = admin.getByRole('status').filter({ hasText: `Exercise ${exercise} is purged` });
    await result.waitFor();
    await result.getByText(/^Intake \(reports and their updates\): removed 2 incidents/).waitFor();
    await result.getByText(/^Triage .*: removed 2 incidents/).waitFor();
    await result.getByText(/^Notification .*: removed/).waitFor();
    await admin.getByText('Intake holds no reports of this exercise.').waitFor();
    await check(admin, 'exercise-purged');
    for (const id of ids) {
      expect((await stack.api('intake', `/v1/incidents/${id}`, stack.tokens['official'] ?? '')).status).toBe(404);
      expect((await stack.api('triage', `/v1/incidents/${id}`, stack.tokens['triage'] ?? '')).status).toBe(404);
    }
    expect(problems.splice(0)).toEqual([]);
  }, 90_000);

  it('an official adds a note, a clue, a system and a change of impact to a report (a bad clue refused beside its field); the addition survives a reload', async () => {
    const title = `Look-alike portal asking for passwords ${Date.now()}`;
    const id = await anIncident(stack.api, stack.tokens, title);
    const official = await newPage();
    await signIn(official, stack.consoleUrl, 'Georgia election official');
    await official.goto(`${stack.consoleUrl}/reports/${id}`);
    await official.getByRole('heading', { name: 'Add information' }).waitFor();

    await official.getByLabel('What else should the operations center know?').fill('The same text now names a second portal.');
    // Typed text is kept in the tab: a reload (or a sign-in) does not lose it.
    await official.reload();
    await official.getByText('What you were adding is back: it was kept in this tab.').waitFor();
    expect(await official.getByLabel('What else should the operations center know?').inputValue()).toBe('The same text now names a second portal.');

    await official.getByRole('button', { name: 'Add a clue' }).click();
    await official.getByLabel('Clue 1: kind').selectOption({ label: 'Web domain' });
    await official.getByLabel('Clue 1: what you saw').fill('not a domain!!');
    await official.getByLabel('Online voter registration').check();
    await official.getByLabel('Was any information exposed, changed or destroyed?').selectOption({ label: "People's personal data" });
    await official.getByRole('button', { name: 'Add to the report' }).click();
    await official.getByRole('heading', { name: /Your addition was not sent: please correct/ }).waitFor();
    expect(await descriptionOf(official, 'Clue 1: what you saw')).toMatch(/domain/);
    expect(await official.getByLabel('Clue 1: what you saw').getAttribute('aria-invalid')).toBe('true');
    await check(official, 'report-update-errors');

    await official.getByLabel('Clue 1: what you saw').fill('sos-ga-verify.net');
    await official.getByRole('button', { name: 'Add to the report' }).click();
    await official.getByText('Added to the report.').waitFor();
    await official.getByText(/The same text now names a second portal\. Clues: Web domain sos-ga-verify\.net\. Also affected: Online voter registration\. Impact changed\./).waitFor();
    expect(await official.getByLabel('What else should the operations center know?').inputValue()).toBe('');

    const report = (await (await stack.api('intake', `/v1/incidents/${id}`, stack.tokens['official'] ?? '')).json()) as {
      observables: Array<{ type: string; value: string }>;
      affectedAssets: string[];
      impacts: Record<string, string>;
      updates: unknown[];
    };
    expect(report.observables).toEqual(expect.arrayContaining([{ type: 'domain', value: 'sos-ga-verify.net' }]));
    expect(report.affectedAssets).toEqual(expect.arrayContaining(['polling_place', 'online_voter_registration']));
    expect(report.impacts).toMatchObject({ informationImpact: 'privacy_data_breach', functionalImpact: 'minimal_non_critical' });
    expect(report.updates).toHaveLength(1);
    // Sent, the draft is gone: a reload shows an empty form.
    await official.reload();
    await official.getByRole('heading', { name: 'Add information' }).waitFor();
    expect(await official.getByLabel('What else should the operations center know?').inputValue()).toBe('');
    await check(official, 'report-update');
    expect(problems.splice(0)).toEqual([]);
  }, 90_000);

});
