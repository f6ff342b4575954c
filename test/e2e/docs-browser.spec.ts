import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { startTestApp, type TestApp } from '../support/test-app';

describe('Swagger UI in a real browser', () => {
  let app: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    await app.close();
  });

  it('renders the operations under the security headers and calls the API from "Try it out"', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    await page.goto(`${app.baseUrl}/docs`, { waitUntil: 'networkidle' });
    await page.waitForSelector('.opblock-summary-path[data-path="/health/ready"]');
    expect(await page.textContent('.info .title')).toContain('Sightline API');

    await page.click('.opblock-summary-path[data-path="/health/ready"]');
    await page.click('button.try-out__btn');
    await page.click('button.execute');
    const status = await page.waitForSelector(
      '.live-responses-table .response .response-col_status',
    );
    expect((await status.textContent())?.trim()).toBe('200');
    // A Content-Security-Policy that blocked Swagger UI's scripts or styles would show up here.
    expect(problems).toEqual([]);
    await page.close();
  });
});
