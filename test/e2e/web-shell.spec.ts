import type { BrowserContext, Page } from 'playwright-core';
import { call, signedHeaders, type TestOrganization } from '../support/factory';
import { expectAccessiblePage, newWatchedPage, type PageProblems } from '../support/web-page';
import { useWebSuite } from '../support/web-suite';

// A browser journey: each step waits for what the page shows, never for a fixed time.
jest.setTimeout(90_000);

/** The pages the navigation offers an admin, after the overview. */
const LATER_PAGES = [
  { label: 'Metrics', path: '/explore' },
  { label: 'Datasets', path: '/datasets' },
  { label: 'Ask', path: '/ask' },
  { label: 'Analyses', path: '/analyses' },
  { label: 'Reports', path: '/reports' },
  { label: 'Administration', path: '/admin' },
];

describe('the dashboard shell in a real browser (built dist/web)', () => {
  const web = useWebSuite();
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  beforeEach(async () => {
    ({ context, page, problems } = await newWatchedPage(web.browser));
  });
  afterEach(async () => {
    await context.close();
  });

  const checkPage = (name: string) => expectAccessiblePage(page, name);

  async function signIn(apiKey: string): Promise<void> {
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in with API key' }).click();
  }

  function heading(): Promise<string | null> {
    return page.locator('main h1').textContent();
  }

  it('signs an admin in with an API key, shows the metrics, every page, and signs out', async () => {
    const org = await web.factory.newOrganization();
    const written = await call(web.app.baseUrl, 'POST', '/v1/metrics', {
      headers: { 'x-api-key': org.adminKey },
      body: {
        metrics: [
          { name: 'orders.total', value: 12, observedAt: '2026-11-30T08:00:00Z' },
          { name: 'orders.total', value: 15, observedAt: '2026-12-01T08:00:00Z' },
          { name: 'latency.p95', value: 231.5, unit: 'ms', observedAt: '2026-12-01T09:30:00Z' },
        ],
      },
    });
    expect(written.status).toBe(201);

    await page.goto(`${web.app.baseUrl}/`);
    await page.getByRole('heading', { name: 'Sign in to Sightline' }).waitFor();
    // The first field (email) has focus; the key field is a Tab or two away.
    expect(await page.locator(':focus').getAttribute('id')).toBe('email');
    await checkPage('sign-in');

    await signIn(org.adminKey);
    await page.getByRole('table').waitFor();
    expect(await heading()).toBe('Overview');
    expect(await page.title()).toBe('Overview · Sightline');
    // Three cells a row: the name, the count of values, the last observation.
    const cells = await page.locator('tbody th, tbody td').allTextContents();
    const rows = [0, 3].map((start) => cells.slice(start, start + 3));
    expect(rows).toEqual(
      expect.arrayContaining([
        ['orders.total', '2', expect.stringMatching(/2026/)],
        ['latency.p95', '1', expect.stringMatching(/2026/)],
      ]),
    );
    expect(cells).toHaveLength(6);
    expect(await page.locator('tbody time').first().getAttribute('datetime')).toMatch(
      /^2026-12-01T/,
    );
    await checkPage('overview');

    // The first Tab reaches the skip link; the navigation marks the current page.
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');
    expect(await page.getByRole('link', { name: 'Overview' }).getAttribute('aria-current')).toBe(
      'page',
    );

    for (const { label, path } of LATER_PAGES) {
      // Followed from the keyboard: focus the link, press Enter.
      await page.getByRole('link', { name: label }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`${web.app.baseUrl}${path}`);
      await page.getByRole('heading', { level: 1, name: label }).waitFor();
      // Focus moves to the new page's heading, so a screen reader announces it.
      expect(await page.locator('main h1:focus').textContent()).toBe(label);
      expect(await page.getByRole('link', { name: label }).getAttribute('aria-current')).toBe(
        'page',
      );
      await checkPage(path.slice(1));
    }

    // A deep link survives a reload: the server answers index.html, the tab stays signed in.
    await page.goto(`${web.app.baseUrl}/datasets/00000000-0000-0000-0000-000000000000`);
    await page.getByRole('heading', { level: 1, name: 'Datasets' }).waitFor();
    await page.goto(`${web.app.baseUrl}/no/such/page`);
    await page.getByRole('heading', { level: 1, name: 'No such page' }).waitFor();
    await checkPage('no-such-page');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Sightline' }).waitFor();
    expect(await page.getByRole('status').textContent()).toBe('You have signed out.');
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await checkPage('signed-out');

    expect(problems.lines).toEqual([]);
  });

  it('refuses a bad key, shows a viewer an empty overview, and ends a revoked session with a message', async () => {
    const org: TestOrganization = await web.factory.newOrganization();
    const viewer = await web.factory.newApiKey(org.organizationId, 'viewer');
    // The refused key and the revoked one: the API answers 401, on purpose.
    problems.expect({ status: 401, path: '/v1/auth/me' });
    problems.expect({ status: 401, path: '/v1/metrics/names' });

    await page.goto(`${web.app.baseUrl}/`);
    await signIn(`${viewer.key.slice(0, -4)}AAAA`);
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/^That API key was not accepted: .+/);
    expect(await page.getByLabel('API key').getAttribute('aria-invalid')).toBe('true');
    await checkPage('sign-in-refused');

    await signIn(viewer.key);
    await page.getByText('No metrics yet.').waitFor();
    expect(await page.getByRole('link', { name: 'API documentation' }).getAttribute('href')).toBe(
      '/docs',
    );
    // A viewer is not offered the administration.
    expect(await page.getByRole('link', { name: 'Administration' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Reports' }).count()).toBe(1);
    await checkPage('overview-empty');

    const revoked = await call(web.app.baseUrl, 'DELETE', `/v1/api-keys/${viewer.id}`, {
      headers: signedHeaders(org.adminKey, 'DELETE', `/v1/api-keys/${viewer.id}`),
    });
    expect(revoked.status).toBe(204);
    // The next call the page makes is refused: back to sign-in, saying why.
    await page.getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Datasets' }).waitFor();
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Sign in to Sightline' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(
      /^Your session has ended \(.+\)\. Sign in again to continue\.$/,
    );
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await checkPage('session-ended');

    expect(problems.lines).toEqual([]);
  });
});
