import type { AppConfig } from '@app/config';
import type { DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type ApiAppOptions, configureApiApp } from './configure-api-app';
import { createFastifyAdapter } from './fastify-adapter';

/**
 * Builds the HTTP application exactly as production runs it; `main.ts`, the
 * end-to-end tests and the benchmarks all come through here.
 */
export async function createApiApp(
  module: DynamicModule,
  config: AppConfig,
  options: ApiAppOptions & { logger?: false } = {},
): Promise<NestFastifyApplication> {
  const { webRoot, ...nestOptions } = options;
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    createFastifyAdapter(config),
    {
      bufferLogs: true,
      // Signed requests are verified over the exact bytes the client sent.
      rawBody: true,
      abortOnError: false,
      ...nestOptions,
    },
  );
  await configureApiApp(app, config, { webRoot });
  return app;
}
