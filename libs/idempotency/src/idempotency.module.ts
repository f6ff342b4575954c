import { IdempotencyStore } from '@app/common';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencyService } from './idempotency.service';
import { IdempotencyPrunerJob } from './jobs/idempotency-pruner.job';

/**
 * `Idempotency-Key` for write routes: the store behind `@Idempotent()` (in libs/common);
 * global, so a route of any feature module finds it.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyKeyEntity])],
  providers: [IdempotencyService, { provide: IdempotencyStore, useExisting: IdempotencyService }],
  exports: [IdempotencyService, IdempotencyStore],
})
export class IdempotencyModule {}

/**
 * The background side: hourly pruning of expired keys. Imported by the process that
 * consumes jobs (the worker, or the api with `WORKERS=inline`).
 */
@Module({ imports: [IdempotencyModule], providers: [IdempotencyPrunerJob] })
export class IdempotencyJobsModule {}
