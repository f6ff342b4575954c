import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser';
import { Factory } from './factory';
import { startTestApp, type TestApp } from './test-app';
import { requireWebBuild } from './web-page';

/** The api serving the built dashboard, a factory on it, and a browser. */
export interface WebSuite {
  app: TestApp;
  factory: Factory;
  browser: Browser;
}

/**
 * Starts a {@link WebSuite} before the file's tests and closes it after them. Its fields
 * are set once `beforeAll` has run: read them inside hooks and tests only.
 */
export function useWebSuite(): WebSuite {
  const suite = {} as WebSuite; // filled in by beforeAll, before any test reads it
  beforeAll(async () => {
    requireWebBuild();
    suite.app = await startTestApp();
    suite.factory = new Factory(suite.app.app);
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
    await suite.app?.close();
  });
  return suite;
}
