import { existsSync } from 'node:fs';
import { type AppConfig } from './app-config';
import { loadConfig } from './load-config';

/**
 * The one place that reads `process.env`: loads `.env` when present (outside
 * tests), then validates. Everything else receives {@link AppConfig}.
 */
export function loadConfigFromProcess(): AppConfig {
  if (process.env.NODE_ENV !== 'test' && existsSync('.env')) process.loadEnvFile('.env');
  return loadConfig(process.env);
}
