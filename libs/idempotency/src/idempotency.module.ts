import { IdempotencyStore } from '@app/common';
import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdempotencyKeyEntity } from './idempotency-key.entity';
import { IdempotencyService } from './idempotency.service';

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
