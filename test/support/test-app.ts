import { type AppConfig } from '@app/config';
import { type DynamicModule, type Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Writable } from 'node:stream';
import { ApiModule } from '../../apps/api/src/api.module';
import { createApiApp } from '../../apps/api/src/http/create-api-app';
import { createTestDatabase, type TestDatabase } from './test-database';
import { testConfig } from './test-config';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  /** Base URL of the listening server, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  /**
   * Every log line the app wrote, parsed. Only the first app of a Jest file gets any:
   * nestjs-pino builds one pino-http logger per process, on the first destination given.
   */
  logs: Array<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment overrides, e.g. `{ BODY_LIMIT_BYTES: '2048' }`. */
  env?: Record<string, string>;
  /** Rewrites the database URL the app connects with, e.g. to go through a TCP proxy. */
  connectVia?: (databaseUrl: string) => string;
  /** Extra modules (test-only controllers) mounted beside the real ones. */
  imports?: Array<Type | DynamicModule>;
  /** A database to share (e.g. with a CLI run); the caller drops it. Default: a new one, dropped on close. */
  database?: TestDatabase;
  /** The dashboard's build to serve (default: dist/web, as `npm run build` writes it). */
  webRoot?: string;
}

/**
 * Boots the real API (same modules, same HTTP pipeline as `main.ts`) on its own
 * database and a random port, capturing its logs for assertions.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const databaseUrl = options.connectVia?.(database.url) ?? database.url;
  const config = testConfig({ LOG_LEVEL: 'info', ...options.env, DATABASE_URL: databaseUrl });
  const logs: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const root: DynamicModule = ApiModule.forRoot(config, {
    databaseUrl,
    logging: { destination },
  });
  root.imports = [...(root.imports ?? []), ...(options.imports ?? [])];
  const app = await createApiApp(root, config, { webRoot: options.webRoot });
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    config,
    database,
    baseUrl,
    logs,
    close: async () => {
      await app.close();
      if (options.database === undefined) await database.drop();
    },
  };
}
