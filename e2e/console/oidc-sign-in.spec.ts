import { rmSync } from 'node:fs';
import {
  type ChildService,
  createTestDatabase,
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
import { launchChromium } from './browser';
import { buildConsole, startProductionConsole, type ProductionConsole } from './production-console';

// The console as production runs it (the `vite build` output served by apps/console/server,
// routing /api/triage/), signing people in with OpenID Connect at a real identity provider
// (oidc-provider), in Debian's Chromium; triage, the service the queue page calls, verifies
// its tokens with its JWKS (AUTH_MODE=jwks) on a database and NATS namespace of its own. The
// access tokens live ACCESS_TOKEN_TTL seconds, so expiry is seen here.
const ACCESS_TOKEN_TTL = 10;
const ACT_MS = 15_000;
const TRIAGE = { sub: 'triage-oidc', name: 'Robin Watch', role: 'triage' as const, jurisdiction: 'ocd-division/country:us', clearance: 'red' as const, org: 'watchfloor-soc' };

describe('the console signs people in with OpenID Connect (production build, triage verifying JWKS)', () => {
  let idp: TestIdp;
  let db: TestDatabase;
  let nats: TestNats;
  let triage: ChildService;
  let consoleApp: ProductionConsole;
  let browser: Browser;

  beforeAll(async () => {
    idp = await startTestIdp([await generateSigningKey('console-idp')], { accounts: [TRIAGE], accessTokenTtlSeconds: ACCESS_TOKEN_TTL });
    const port = await freePort();
    const client = await idp.registerPublicClient(`http://127.0.0.1:${port}/signed-in`, `http://127.0.0.1:${port}/`);
    [db, nats] = await Promise.all([createTestDatabase('wf_console_oidc'), useNats()]);
    // The build runs while triage starts.
    const [built, started] = await Promise.allSettled([
      buildConsole(),
      spawnService('triage', { ...idp.authEnv, DATABASE_URL: db.url, NATS_URL: nats.url, NATS_NAMESPACE: nats.namespace }, { waitFor: 'ready' }),
    ]);
    if (started.status === 'fulfilled') triage = started.value;
    if (started.status === 'rejected') {
      if (built.status === 'fulfilled') rmSync(built.value, { recursive: true, force: true });
      throw started.reason;
    }
    if (built.status === 'rejected') throw built.reason;
    consoleApp = await startProductionConsole(port, built.value, {
      CONSOLE_OIDC_ISSUER: idp.issuer,
      CONSOLE_OIDC_CLIENT_ID: client.clientId,
      CONSOLE_OIDC_SCOPE: 'openid watchfloor',
      CONSOLE_OIDC_RESOURCE: idp.resource,
      CONSOLE_TRIAGE_URL: triage.url,
    });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await consoleApp?.stop();
    await triage?.stop();
    await nats?.cleanup();
    await db?.drop();
    await idp?.stop();
  });

  async function newPage(): Promise<Page> {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(ACT_MS);
    page.on('pageerror', (error) => {
      throw error;
    });
    return page;
  }

  /** The identity provider's development login and consent pages, when it shows them. */
  async function signInAtIdp(page: Page): Promise<void> {
    await page.locator('input[name="login"]').fill(TRIAGE.sub);
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
});
