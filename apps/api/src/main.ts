import { drainHttpServer, runService } from '@app/runtime';
import { ApiModule } from './api.module';
import { createApiApp } from './http/create-api-app';

void runService('sightline-api', async ({ config, databaseUrl, logger }) => {
  const app = await createApiApp(ApiModule.forRoot(config, { databaseUrl }), config);
  await app.listen(config.http.port, config.http.host);
  logger.info(`Sightline API listening on ${await app.getUrl()} (docs at /docs)`);
  return {
    app,
    // Before app.close() tears down the database pool that in-flight requests may still need.
    drain: () => drainHttpServer(app),
  };
});
