export { Idempotent } from './idempotent.decorator';
export { IdempotencyModule } from './idempotency.module';
export { IdempotencyService, IDEMPOTENCY_TTL_SECONDS } from './idempotency.service';
export { IDEMPOTENCY_HEADER, IDEMPOTENT_REPLAY_HEADER } from './idempotency.interceptor';
export { IdempotencyPruner } from './idempotency-pruner';
