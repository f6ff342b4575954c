import { type AppConfig, loadConfig } from '@app/config';

/** A validated test configuration; `overrides` are environment variables as strings. */
export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...overrides });
}
