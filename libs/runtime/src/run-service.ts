import { type AppConfig, ConfigValidationError, loadConfigFromProcess } from '@app/config';
import { type EmbeddedPostgres, startEmbeddedPostgres } from '@app/database';
import { serializeError } from '@app/observability';
import type { INestApplication } from '@nestjs/common';
import pino, { type Logger } from 'pino';
import { restoreFastStringPrototype } from './fast-string-prototype';
import { installGracefulShutdown } from './graceful-shutdown';

export interface ServiceContext {
  config: AppConfig;
  /** The URL to connect with: `DATABASE_URL`, or the embedded server's. */
  databaseUrl: string;
  logger: Logger;
}

export interface StartedService {
  app: INestApplication;
  /** Stops accepting work and waits for in-flight work; called on SIGTERM before `app.close()`. */
  drain?: () => Promise<void>;
}

function bootLogger(config: AppConfig, name: string): Logger {
  return pino({
    name,
    level: config.log.level,
    // A start that fails inside a query (the first admin key's insert, say) logs no values.
    serializers: { err: serializeError },
    transport: config.log.pretty
      ? { target: 'pino-pretty', options: { singleLine: true } }
      : undefined,
  });
}

/**
 * The life of a Sightline process, shared by api and worker: validate the
 * configuration (exit 1 listing every problem), start the embedded database
 * when no `DATABASE_URL` is set, start the app, and shut down gracefully.
 */
export async function runService(
  name: string,
  start: (context: ServiceContext) => Promise<StartedService>,
): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfigFromProcess();
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${name}: ${error.message}\n`);
    process.exit(1);
  }

  const logger = bootLogger(config, name);
  logger.info({ node: process.version }, `${name} starting on Node.js ${process.version}`);
  if (config.auth.jwtSecretSource === 'generated-per-start') {
    logger.warn(
      'JWT_SECRET is not set: using a secret generated for this start, so sessions end when the process restarts (set JWT_SECRET to keep them)',
    );
  }
  let embedded: EmbeddedPostgres | undefined;
  let started: StartedService | undefined;
  try {
    if (config.database.url === undefined) {
      embedded = await startEmbeddedPostgres(config.database.embedded, {
        log: (message) => logger.info(message),
        warn: (message) => logger.warn(message),
      });
    }
    const databaseUrl = config.database.url ?? embedded?.url;
    if (databaseUrl === undefined) throw new Error('No database URL');
    started = await start({ config, databaseUrl, logger });
    // After start(), every module is loaded, so nothing can slow String.prototype again.
    restoreFastStringPrototype();
  } catch (error) {
    logger.fatal({ err: error }, `${name} failed to start`);
    await started?.app.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    process.exit(1);
  }

  const { app, drain } = started;
  installGracefulShutdown({
    timeoutMs: config.http.shutdownTimeoutMs,
    logger: { info: (message) => logger.info(message), error: (message) => logger.error(message) },
    close: async () => {
      logger.debug('Draining: refusing new work, finishing in-flight requests');
      await drain?.();
      logger.debug('Closing the application (hooks, database pool)');
      await app.close();
      if (embedded !== undefined) {
        logger.debug('Stopping the embedded PostgreSQL');
        await embedded.stop();
      }
    },
  });
}
