export { IdempotencyJobsModule, IdempotencyModule } from './idempotency.module';
export { IdempotencyService, IDEMPOTENCY_TTL_SECONDS } from './idempotency.service';
