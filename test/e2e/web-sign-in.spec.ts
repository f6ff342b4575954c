import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { call, Factory, signedHeaders, type TestOrganization } from '../support/factory';
import { PASSWORD } from '../support/secret-ledger';
import { startTestApp, type TestApp } from '../support/test-app';
import {
  expectAccessiblePage,
  newWatchedPage,
  type PageProblems,
  requireWebBuild,
} from '../support/web-page';

jest.setTimeout(90_000);

const EXPIRED = 'Your session expired — sign in again';

/**
 * Email and password sign-in in a real browser: the access token in memory only, the
 * HttpOnly refresh cookie renewing it (after a refused call, and on reload), and an expired
 * session back at sign-in with a message.
 */
describe('the dashboard signs a person in with email and password (built dist/web)', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  let org: TestOrganization;

  beforeAll(async () => {
    requireWebBuild();
    app = await startTestApp();
    org = await new Factory(app.app).newOrganization();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await app.close();
  });
  beforeEach(async () => {
    ({ context, page, problems } = await newWatchedPage(browser));
  });
  afterEach(async () => {
    await context.close();
  });

  async function newUser(role: 'admin' | 'viewer'): Promise<string> {
    const email = `web-${Date.now()}-${Math.random()}@example.com`;
    const body = JSON.stringify({ email, password: PASSWORD, role });
    const created = await call(app.baseUrl, 'POST', '/v1/users', {
      headers: signedHeaders(org.adminKey, 'POST', '/v1/users', body),
      body,
    });
    expect(created.status).toBe(201);
    return email;
  }

  const checkPage = (name: string) => expectAccessiblePage(page, name);

  async function signIn(email: string, password = PASSWORD): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.keyboard.press('Enter');
  }

  async function cookie(name: string): Promise<string | undefined> {
    return (await context.cookies()).find((candidate) => candidate.name === name)?.value;
  }

  /** The next `/v1/metrics…` call goes with a refused token, as if the access token expired. */
  async function refuseNextAccessToken(): Promise<void> {
    await page.route(
      '**/v1/metrics/**',
      (route) =>
        route.continue({
          headers: { ...route.request().headers(), authorization: 'Bearer expired' },
        }),
      { times: 1 },
    );
  }

  it('signs in, stays signed in over a reload and a refused token, and signs out', async () => {
    const email = await newUser('admin');
    // The refused tokens below are on purpose: the page renews them and carries on.
    problems.expect({ status: 401, path: '/v1/metrics/names' });

    await page.goto(`${app.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to Sightline' }).waitFor();
    expect(await page.locator(':focus').getAttribute('id')).toBe('email');
    await checkPage('sign-in-password');

    problems.expect({ status: 401, path: '/v1/auth/login' });
    await signIn(email, 'not the password at all');
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^That email and password were not accepted: .+/);

    await signIn(email);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.locator('.who').textContent()).toBe('Signed in · admin');
    await checkPage('overview-password');
    // The access token is in memory only; the refresh token is in an HttpOnly cookie.
    expect(await page.evaluate<number>('sessionStorage.length + localStorage.length')).toBe(0);
    const refresh = (await context.cookies()).find((c) => c.name === 'sightline_refresh');
    expect(refresh).toMatchObject({ httpOnly: true, secure: true, path: '/v1/auth' });
    expect(await cookie('sightline_csrf')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // A reload restores the session from the refresh cookie.
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    await page.getByText('No metrics yet.').waitFor();

    // A refused token is renewed once and the call retried: the page shows its data.
    const csrfBefore = await cookie('sightline_csrf');
    await refuseNextAccessToken();
    await page.getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Datasets' }).waitFor();
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByText('No metrics yet.').waitFor();
    expect(await cookie('sightline_csrf')).not.toBe(csrfBefore);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Sightline' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('You have signed out.');
    expect(await cookie('sightline_refresh')).toBeUndefined();
    expect(await cookie('sightline_csrf')).toBeUndefined();
    // Signed out, a reload stays at sign-in without a word of expiry.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Sightline' }).waitFor();
    expect(await page.getByRole('alert').count()).toBe(0);

    expect(problems.lines).toEqual([]);
  });

  it('returns to sign-in with a message when the session can no longer be renewed', async () => {
    const email = await newUser('viewer');
    problems.expect({ status: 401, path: '/v1/metrics/names' });
    problems.expect({ status: 401, path: '/v1/auth/refresh' });

    await page.goto(`${app.baseUrl}/`);
    await signIn(email);
    await page.getByText('No metrics yet.').waitFor();

    // The session ends elsewhere: its refresh token's family is revoked (the cookies stay).
    const refreshToken = await cookie('sightline_refresh');
    const loggedOut = await call(app.baseUrl, 'POST', '/v1/auth/logout', {
      body: { refreshToken },
    });
    expect(loggedOut.status).toBe(204);

    await refuseNextAccessToken();
    await page.getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Datasets' }).waitFor();
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Sign in to Sightline' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(EXPIRED);
    await checkPage('session-expired');

    // A reload with the revoked cookie still in the jar says the same, never a blank page.
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Sightline' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toBe(EXPIRED);

    expect(problems.lines).toEqual([]);
  });
});
