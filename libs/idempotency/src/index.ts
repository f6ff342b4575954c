export { Idempotent } from './decorators/idempotent.decorator';
export { IdempotencyJobsModule, IdempotencyModule } from './idempotency.module';
export {
  IDEMPOTENCY_HEADER,
  IDEMPOTENCY_KEY_SCHEMA,
  IDEMPOTENT_REPLAY_HEADER,
  IdempotencyInterceptor,
  idempotencyKeyOf,
} from './interceptors/idempotency.interceptor';
export {
  idempotencyKeyReused,
  type IdempotencyOutcome,
  type StreamedIdempotencyOutcome,
} from './services/idempotency-outcomes';
export { IDEMPOTENCY_TTL_SECONDS, IdempotencyService } from './services/idempotency.service';
export {
  type StreamedAnswer,
  StreamedIdempotencyService,
  type StreamedWrite,
} from './services/streamed-idempotency.service';
