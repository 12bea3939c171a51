import { rmSync } from 'node:fs';
import {
  type ChildService,
  createTestDatabase,
  expectEventually,
  freePort,
  generateSigningKey,
  spawnService,
  startTestIdp,
  type TestDatabase,
  type TestIdp,
  type TestNats,
  useNats,
} from '@watchfloor/testing';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, ACT_MS, newPage as openPage } from './browser';
import { fillReport } from './console-pages';
import { buildConsole, startProductionConsole, type ProductionConsole } from './production-console';

// The console as production runs it (the `vite build` output served by apps/console/server,
// routing /api/triage/), signing people in with OpenID Connect at a real identity provider
// (oidc-provider), in Debian's Chromium; triage (the queue page) and intake (the report form)
// verify its tokens with its JWKS (AUTH_MODE=jwks) on a database and NATS namespace of their
// own. The access tokens live ACCESS_TOKEN_TTL seconds, so expiry is seen here.
const ACCESS_TOKEN_TTL = 10;
const TRIAGE = { sub: 'triage-oidc', name: 'Robin Watch', role: 'triage' as const, jurisdiction: 'ocd-division/country:us', clearance: 'red' as const, org: 'watchfloor-soc' };
const OFFICIAL = { sub: 'official-oidc', name: 'Dana Clerk', role: 'official' as const, jurisdiction: 'ocd-division/country:us/state:ga', clearance: 'amber' as const, org: 'ga-sos' };

describe('the console signs people in with OpenID Connect (production build, triage verifying JWKS)', () => {
  let idp: TestIdp;
  let db: TestDatabase;
  let nats: TestNats;
  let triage: ChildService;
  let intake: ChildService;
  let consoleApp: ProductionConsole;
  let browser: Browser;

  beforeAll(async () => {
    idp = await startTestIdp([await generateSigningKey('console-idp')], { accounts: [TRIAGE, OFFICIAL], accessTokenTtlSeconds: ACCESS_TOKEN_TTL });
    const port = await freePort();
    const client = await idp.registerPublicClient(`http://127.0.0.1:${port}/signed-in`, `http://127.0.0.1:${port}/`);
    [db, nats] = await Promise.all([createTestDatabase('wf_console_oidc'), useNats()]);
    // The build runs while the services start.
    const env = { ...idp.authEnv, DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace };
    const [built, startedTriage, startedIntake] = await Promise.allSettled([
      buildConsole(),
      spawnService('triage', env, { waitFor: 'ready' }),
      spawnService('intake', env, { waitFor: 'ready' }),
    ]);
    if (startedTriage.status === 'fulfilled') triage = startedTriage.value;
    if (startedIntake.status === 'fulfilled') intake = startedIntake.value;
    for (const started of [startedTriage, startedIntake]) {
      if (started.status === 'rejected') {
        if (built.status === 'fulfilled') rmSync(built.value, { recursive: true, force: true });
        throw started.reason;
      }
    }
    if (built.status === 'rejected') throw built.reason;
    consoleApp = await startProductionConsole(port, built.value, {
      CONSOLE_OIDC_ISSUER: idp.issuer,
      CONSOLE_OIDC_CLIENT_ID: client.clientId,
      CONSOLE_OIDC_SCOPE: 'openid watchfloor',
      CONSOLE_OIDC_RESOURCE: idp.resource,
      CONSOLE_TRIAGE_URL: triage.url,
      CONSOLE_INTAKE_URL: intake.url,
    });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.stop();
    await triage?.stop();
    await intake?.stop();
    await nats?.cleanup();
    await db?.drop();
    await idp?.stop();
  });

  const newPage = () => openPage(browser);

  /** The identity provider's development login and consent pages, when it shows them. */
  async function signInAtIdp(page: Page, sub = TRIAGE.sub): Promise<void> {
    await page.locator('input[name="login"]').fill(sub);
    await page.locator('input[name="password"]').fill('any password will do');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('signs in at the identity provider, lands on the page asked for, calls the API with the token, and signs in again when it expires', async () => {
    const page = await newPage();
    const queueReads: number[] = [];
    const bearers = new Set<string>();
    page.on('response', (response) => {
      if (!new URL(response.url()).pathname.startsWith('/api/triage/v1/queue')) return;
      queueReads.push(response.status());
      const authorization = response.request().headers()['authorization'];
      if (authorization) bearers.add(authorization);
    });

    await page.goto(`${consoleApp.url}/queue`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await signInAtIdp(page);

    // Back on the queue it asked for, as the IdP's account; triage accepted the token (its live stream is up).
    await page.waitForURL(`${consoleApp.url}/queue`);
    await page.getByRole('heading', { name: 'Queue' }).waitFor();
    await page.getByText('Live: changes appear as they happen').waitFor();
    await page.locator('.who').getByText(TRIAGE.name).waitFor();
    expect(queueReads.length).toBeGreaterThan(0);
    expect(queueReads.every((status) => status === 200)).toBe(true);
    expect([...bearers].every((value) => /^Bearer eyJ/.test(value))).toBe(true);
    const [firstToken] = [...bearers];
    // The token lives in the page's memory only: nothing of it is stored.
    const stored = await page.evaluate(() => {
      const storage = globalThis as unknown as { sessionStorage: object; localStorage: object };
      return JSON.stringify([{ ...storage.sessionStorage }, { ...storage.localStorage }]);
    });
    expect(stored).not.toContain(firstToken?.slice('Bearer '.length, 40));

    // The token runs out: the page becomes the sign-in page, which says why.
    await page.getByText(/Your sign-in expired at/).waitFor({ timeout: (ACCESS_TOKEN_TTL + 20) * 1000 });
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    // The identity provider still knows the person (its own session): no form, straight back to the queue with a new token.
    await page.waitForURL(`${consoleApp.url}/queue`);
    await page.getByText('Live: changes appear as they happen').waitFor();
    expect(bearers.size).toBeGreaterThan(1);

    // Signing out ends the session at the identity provider too, and a reload does not sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.waitForURL(`${consoleApp.url}/`);
    await page.reload();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await page.locator('input[name="login"]').waitFor();
  });

  it('refuses a callback whose state is not the one this tab sent, even with a good code', async () => {
    const page = await newPage();
    // A login CSRF: the callback the tab gets carries a state other than the one it sent. Made
    // here by changing the state the tab keeps (apps/console/src/auth/oidc.ts) just before
    // the callback page reads it, so the code and the PKCE verifier stay good.
    await page.addInitScript(() => {
      const browser = globalThis as unknown as { location: { pathname: string }; sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } };
      const key = 'watchfloor.oidc.transaction';
      const stored = browser.sessionStorage.getItem(key);
      if (browser.location.pathname !== '/signed-in' || !stored) return;
      browser.sessionStorage.setItem(key, JSON.stringify({ ...(JSON.parse(stored) as object), state: 'not-the-state-this-tab-sent' }));
    });
    await page.goto(`${consoleApp.url}/`);
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await signInAtIdp(page);
    await page.getByText(/Sign-in did not complete: .*state/).waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('.who').count()).toBe(0);
  });

  /** The access tokens the identity provider hands this page (its token endpoint's answers), newest last. */
  function accessTokensOf(page: Page): string[] {
    const tokens: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).origin !== idp.issuer || response.request().method() !== 'POST' || !response.url().endsWith('/token')) return;
      void response.json().then((body: { access_token?: string }) => body.access_token && tokens.push(body.access_token)).catch(() => undefined);
    });
    return tokens;
  }

  /** Reports titled `title` in intake (read with a token of the official's own, not the page's). */
  async function reportsTitled(title: string): Promise<number> {
    const response = await fetch(`${intake.url}/v1/incidents?limit=200`, { headers: { authorization: `Bearer ${await idp.token(OFFICIAL)}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { items: Array<{ title: string }> }).items.filter((item) => item.title === title).length;
  }

  /** What this tab keeps in sessionStorage, as one string. */
  const storedIn = (page: Page) => page.evaluate(() => JSON.stringify({ ...(globalThis as unknown as { sessionStorage: object }).sessionStorage }));

  async function signInAsOfficial(page: Page): Promise<void> {
    await page.goto(`${consoleApp.url}/report`);
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await signInAtIdp(page, OFFICIAL.sub);
    await page.waitForURL(`${consoleApp.url}/report`);
    await page.getByRole('heading', { name: 'Report an incident' }).waitFor();
  }

  it('keeps a half-typed report while the sign-in expires: the page turns to sign-in, and after it the form is back as it was', async () => {
    const title = `Poll book tablets offline in Fulton ${Date.now()}`;
    const page = await newPage();
    await signInAsOfficial(page);
    // Two fields, quickly: the token lives ACCESS_TOKEN_TTL seconds.
    await page.getByLabel('In one sentence, what happened?').fill(title);
    await page.getByLabel('Tell us more').fill('Tablets at three polling places cannot reach the voter list since 7:10.');

    await page.getByText(/Your sign-in expired at/).waitFor({ timeout: (ACCESS_TOKEN_TTL + 20) * 1000 });
    await page.getByText('What you had typed is kept in this tab').waitFor();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await page.waitForURL(`${consoleApp.url}/report`);
    await page.getByText('The report you were writing is back: it was kept in this tab.').waitFor();
    expect(await page.getByLabel('In one sentence, what happened?').inputValue()).toBe(title);
    expect(await page.getByLabel('Tell us more').inputValue()).toBe('Tablets at three polling places cannot reach the voter list since 7:10.');

    // Signing out forgets it: the next person at this computer does not get it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.waitForURL(`${consoleApp.url}/`);
    expect(await storedIn(page)).not.toContain(title);
    expect(await reportsTitled(title)).toBe(0);
  }, 90_000);

  it('a report sent with a token the service no longer accepts says to sign in again; after the round trip the draft is there and is filed exactly once', async () => {
    const title = `Phishing of poll workers in Fulton ${Date.now()}`;
    const page = await newPage();
    // The page's clock is Playwright's, so it can be stopped: with it stopped, the page's own
    // expiry timer does not run (as in a throttled background tab, or a laptop just woken), and
    // the page still believes in a token intake already refuses: the 401 path.
    await page.clock.install();
    const tokens = accessTokensOf(page);
    await signInAsOfficial(page);
    await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1);
    await fillReport(page, { title, domain: 'sos-georgia-verify.com' });

    // Wait until intake refuses the page's token (its exp, plus the services' tolerance).
    const [token] = tokens;
    expect(token).toMatch(/^eyJ/);
    await expectEventually(async () => {
      expect((await fetch(`${intake.url}/v1/incidents?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    }, { timeoutMs: (ACCESS_TOKEN_TTL + 20) * 1000, intervalMs: 250 });
    // The draft is kept in the tab, the token is not.
    const stored = await storedIn(page);
    expect(stored).toContain(title);
    expect(stored).not.toContain(token?.split('.')[1] ?? 'no token');

    await page.getByRole('button', { name: 'Send the report' }).click();
    // TanStack Query tells the page of the answer on a zero-delay timer: the stopped clock steps for it.
    const told = page.getByRole('heading', { name: 'Your sign-in has expired: the report was not sent' });
    await expectEventually(async () => {
      await page.clock.runFor(20);
      expect(await told.count()).toBe(1);
    }, { timeoutMs: ACT_MS, intervalMs: 100 });
    expect(await reportsTitled(title)).toBe(0);
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByText('What you had typed is kept in this tab').waitFor();
    await page.clock.resume();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
    await page.waitForURL(`${consoleApp.url}/report`);
    await page.getByText('The report you were writing is back: it was kept in this tab.').waitFor();
    expect(await page.getByLabel('In one sentence, what happened?').inputValue()).toBe(title);
    expect(await page.getByLabel('Clue 1: what you saw').inputValue()).toBe('sos-georgia-verify.com');
    expect(await page.getByLabel('TLP:GREEN').isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Send the report' }).click();
    await page.getByRole('heading', { name: 'Report received' }).waitFor();
    expect(tokens.length).toBeGreaterThan(1);
    expect(await reportsTitled(title)).toBe(1);
    // Filed, the draft is gone from the tab.
    expect(await storedIn(page)).not.toContain(title);
  }, 90_000);
});
