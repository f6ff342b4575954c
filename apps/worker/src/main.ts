import { drainHttpServer, runService } from '@app/runtime';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

void runService('sightline-worker', async ({ config, databaseUrl, logger }) => {
  const app = await NestFactory.create<NestFastifyApplication>(
    WorkerModule.forRoot(config, databaseUrl),
    new FastifyAdapter({ return503OnClosing: true, forceCloseConnections: 'idle' }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(PinoLogger));
  await app.listen(config.workers.healthPort, config.http.host);
  logger.info(`Sightline worker running; health probes on ${await app.getUrl()}/health`);
  return {
    app,
    // Before app.close() tears down the database pool that in-flight requests may still need.
    drain: () => drainHttpServer(app),
  };
});
