import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const ROOT = join(__dirname, '..', '..');

/** The dashboard's build, as `npm run build` writes it (npm test builds first). */
export const WEB_BUILD = join(ROOT, 'dist', 'web');
/** Screenshots of the dashboard's pages (gitignored). */
export const WEB_ARTIFACTS = join(ROOT, 'test-results', 'web');

/** Fails at once, naming the fix, when the dashboard has not been built. */
export function requireWebBuild(): void {
  if (!existsSync(join(WEB_BUILD, 'index.html'))) {
    throw new Error(
      `${WEB_BUILD}/index.html is missing: run \`npm run build\` first (npm test does)`,
    );
  }
}

/** A response or console message a test expects (a refused key's 401). */
export interface Expected {
  status: number;
  /** The end of the request's path, e.g. `/v1/auth/me`. */
  path: string;
}

/**
 * Everything that went wrong in a page, as readable lines: console errors, uncaught
 * exceptions, requests that failed or answered ≥ 400, and Content-Security-Policy violations
 * (reported from the page as they happen, so a reload loses none). `expect()` lets a test
 * name the error responses it provokes; each may then also appear as a console error.
 */
export class PageProblems {
  readonly lines: string[] = [];
  private readonly expected: Expected[] = [];

  private constructor(private readonly page: Page) {}

  static async watch(page: Page): Promise<PageProblems> {
    const problems = new PageProblems(page);
    await problems.attach();
    return problems;
  }

  expect(expected: Expected): void {
    this.expected.push(expected);
  }

  private isExpected(status: number, url: string): boolean {
    const path = new URL(url).pathname;
    return this.expected.some((e) => e.status === status && path.endsWith(e.path));
  }

  private async attach(): Promise<void> {
    const { page } = this;
    page.on('pageerror', (error) => this.lines.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const status = /status of (\d{3})/.exec(message.text());
      if (status !== null && this.isExpected(Number(status[1]), message.location().url)) return;
      this.lines.push(`console error: ${message.text()} (${message.location().url})`);
    });
    page.on('requestfailed', (request) =>
      this.lines.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
    );
    page.on('response', (response) => {
      if (response.status() >= 400 && !this.isExpected(response.status(), response.url())) {
        this.lines.push(`response ${response.status()}: ${response.url()}`);
      }
    });
    await page.exposeFunction('__reportCspViolation', (line: string) =>
      this.lines.push(`CSP violation: ${line}`),
    );
    // Source text, not a function: the root tsconfig (Node) has no DOM types.
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) =>
        window.__reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')));`,
    });
  }
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[] }>;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core's serious and critical violations on the page as it is now. axe is evaluated
 * through the DevTools protocol rather than added as a `<script>`: the dashboard's CSP
 * (rightly) refuses inline scripts, and the page must run under it unchanged.
 */
export async function seriousAccessibilityViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate<boolean>("'axe' in window"))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<AxeViolation[]>(
    'axe.run(document).then((results) => results.violations)',
  );
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} (${violation.nodes
          .map((node) => JSON.stringify(node.target))
          .join(', ')})`,
    );
}

/** Saves a full-page screenshot as `test-results/web/<name>.png`. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(WEB_ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(WEB_ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A fresh context of `browser` (a desktop viewport) and its page, with its problems watched. */
export async function newWatchedPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; problems: PageProblems }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page, problems: await PageProblems.watch(page) };
}

/** Saves the page's screenshot as `name` and expects axe to find nothing serious on it. */
export async function expectAccessiblePage(page: Page, name: string): Promise<void> {
  await saveScreenshot(page, name);
  expect({ page: name, violations: await seriousAccessibilityViolations(page) }).toEqual({
    page: name,
    violations: [],
  });
}
