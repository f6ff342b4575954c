import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKeyEntity } from './entities/idempotency-key.entity';
import { IdempotencyKeysRepository } from './repositories/idempotency-keys.repository';
import { IdempotencyService } from './services/idempotency.service';
import { StreamedIdempotencyService } from './services/streamed-idempotency.service';
import { IdempotencyPrunerJob } from './jobs/idempotency-pruner.job';

/**
 * `Idempotency-Key` for write routes: the service behind `@Idempotent()` and the upload
 * route; global, so the interceptor on a route of any feature module finds it.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([IdempotencyKeyEntity])],
  providers: [IdempotencyKeysRepository, IdempotencyService, StreamedIdempotencyService],
  exports: [IdempotencyService, StreamedIdempotencyService],
})
export class IdempotencyModule {}

/**
 * The background side: hourly pruning of expired keys. Imported by the process that
 * consumes jobs (the worker, or the api with `WORKERS=inline`).
 */
@Module({ imports: [IdempotencyModule], providers: [IdempotencyPrunerJob] })
export class IdempotencyJobsModule {}
