import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { call } from '../support/factory';
import { expectAccessiblePage, PageProblems } from '../support/web-page';
import { useWebSuite } from '../support/web-suite';

// A browser journey: each step waits for what the page shows, never for a fixed time.
jest.setTimeout(120_000);

describe('the Reports page in a real browser (built dist/web)', () => {
  const web = useWebSuite();
  let context: BrowserContext;
  let page: Page;
  let problems: PageProblems;
  beforeEach(async () => {
    // A zone other than the machine's, so the form's default is seen to be the browser's.
    context = await web.browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'Europe/Berlin',
      acceptDownloads: true,
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    problems = await PageProblems.watch(page);
  });
  afterEach(async () => {
    await context.close();
  });

  const checkPage = (name: string) => expectAccessiblePage(page, name);

  async function signInTo(path: string, apiKey: string): Promise<void> {
    await page.goto(`${web.app.baseUrl}${path}`);
    await page.getByLabel('API key').fill(apiKey);
    await page.getByRole('button', { name: 'Sign in with API key' }).click();
  }

  it('creates a report, previews its schedule, runs it, downloads its PDF; a viewer only reads', async () => {
    const org = await web.factory.newOrganization();
    const now = Date.now();
    const written = await call(web.app.baseUrl, 'POST', '/v1/metrics', {
      headers: { 'x-api-key': org.adminKey },
      body: {
        metrics: [1, 2, 3].map((daysAgo) => ({
          name: 'orders.total',
          value: 10 * daysAgo,
          observedAt: new Date(now - daysAgo * 86_400_000).toISOString(),
        })),
      },
    });
    expect(written.status).toBe(201);

    await signInTo('/reports', org.adminKey);
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByText('No reports yet.').waitFor();
    await checkPage('reports-empty');

    // From the keyboard: the empty state's action is a link like any other.
    await page.getByRole('link', { name: 'New report' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'New report' }).waitFor();
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/Berlin');
    await page.getByLabel('orders.total').check();

    // A refused definition: the API's problem is shown beside the field it names.
    problems.expect({ status: 400, path: '/v1/reports' });
    await page.getByLabel('Schedule (cron)').fill('0 8 * * 1');
    await page.getByRole('button', { name: 'Create report' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(await page.locator('#name-problem').textContent()).toMatch(/name/i);
    await checkPage('report-form-refused');

    await page.getByLabel('Name', { exact: true }).fill('Weekly orders');
    // Typed key by key: the next due times appear once the five fields are there.
    await page.getByLabel('Schedule (cron)').fill('');
    await page.getByLabel('Schedule (cron)').pressSequentially('30 7 * * 2', { delay: 30 });
    const dueTimes = page.getByRole('list', { name: 'Next runs' }).getByRole('listitem');
    await dueTimes.nth(4).waitFor();
    const shown = await dueTimes.allTextContents();
    expect(shown).toHaveLength(5);
    // Tuesdays at 07:30 in the report's zone, as the browser formats them.
    for (const line of shown) expect(line).toMatch(/Tuesday.*7:30/);
    await page.getByLabel('CSV').check();
    await checkPage('report-form');

    await page.getByRole('button', { name: 'Create report' }).click();
    await page.getByRole('heading', { level: 1, name: 'Weekly orders' }).waitFor();
    expect(page.url()).toMatch(/\/reports\/[0-9a-f-]{36}$/);
    expect(
      await page.getByRole('region', { name: 'Next runs' }).getByRole('listitem').count(),
    ).toBe(5);
    await page.getByText('No runs yet').waitFor();

    await page.getByRole('button', { name: 'Run now' }).click();
    const row = page.locator('tbody tr').first();
    await row.waitFor();
    // Polled until it ends: the status is a word, not only a colour.
    await row.getByText('Succeeded').waitFor({ timeout: 60_000 });
    expect(await row.locator('td').nth(2).textContent()).toBe('no webhook');
    await checkPage('report-detail');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: /^Download PDF/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Weekly orders-\d{4}-\d{2}-\d{2}\.pdf$/);
    const bytes = readFileSync(await download.path());
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(await row.getByRole('button', { name: /^Download CSV/ }).count()).toBe(1);
    expect(problems.lines).toEqual([]);

    // A viewer sees the report and its runs, but neither create nor run.
    const viewer = await web.factory.newApiKey(org.organizationId, 'viewer');
    await context.close();
    context = await web.browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    problems = await PageProblems.watch(page);
    await signInTo('/reports', viewer.key);
    await page.getByRole('link', { name: 'Weekly orders' }).waitFor();
    expect(await page.getByRole('link', { name: 'New report' }).count()).toBe(0);
    await checkPage('reports-viewer');
    await page.getByRole('link', { name: 'Weekly orders' }).click();
    await page.getByRole('heading', { level: 1, name: 'Weekly orders' }).waitFor();
    await page.locator('tbody tr').first().getByText('Succeeded').waitFor();
    expect(await page.getByRole('button', { name: 'Run now' }).count()).toBe(0);
    await checkPage('report-detail-viewer');
    expect(problems.lines).toEqual([]);
  });
});
