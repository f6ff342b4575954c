import { drainHttpServer, runService } from '@app/runtime';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { ApiModule } from './api.module';
import { configureApiApp } from './http/configure-api-app';
import { createFastifyAdapter } from './http/fastify-adapter';

void runService('sightline-api', async ({ config, databaseUrl, logger }) => {
  const app = await NestFactory.create<NestFastifyApplication>(
    ApiModule.forRoot(config, { databaseUrl }),
    createFastifyAdapter(config),
    { bufferLogs: true },
  );
  await configureApiApp(app, config);
  await app.listen(config.http.port, config.http.host);
  logger.info(`Sightline API listening on ${await app.getUrl()} (docs at /docs)`);
  return {
    app,
    // Before app.close() tears down the database pool that in-flight requests may still need.
    drain: () => drainHttpServer(app),
  };
});
