export { AnonymousRateLimit } from './anonymous-rate-limit';
export {
  LONG_REQUEST_RETRY_AFTER_SECONDS,
  LongRequest,
  LongRequestGuard,
  OPENAPI_LONG_REQUEST,
} from './long-request.guard';
export { RateLimitGuard } from './rate-limit.guard';
export { RateLimitModule } from './rate-limit.module';
export {
  OPENAPI_RATE_LIMIT_CLASS,
  RATE_LIMIT_CLASSES,
  RateLimitClass,
  type RateLimitClassName,
} from './rate-limit-class';
