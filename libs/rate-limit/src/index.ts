export { RateLimitGuard } from './rate-limit.guard';
export { RateLimitModule } from './rate-limit.module';
export { RATE_LIMIT_CLASSES, RateLimitClass, type RateLimitClassName } from './rate-limit-class';
