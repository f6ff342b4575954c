import { IdempotencyJobsModule } from '@app/idempotency';
import { loadConfig } from '@app/config';
import { ApiModule } from './api.module';

const databaseUrl = 'postgresql://unused@127.0.0.1:1/unused';

describe('ApiModule composition', () => {
  it('hosts the background modules in-process with WORKERS=inline (the default)', () => {
    const module = ApiModule.forRoot(loadConfig({ NODE_ENV: 'test' }), { databaseUrl });
    expect(module.imports).toContain(IdempotencyJobsModule);
  });

  it('leaves background work to the worker process with WORKERS=off', () => {
    const module = ApiModule.forRoot(loadConfig({ NODE_ENV: 'test', WORKERS: 'off' }), {
      databaseUrl,
    });
    expect(module.imports).not.toContain(IdempotencyJobsModule);
  });
});
