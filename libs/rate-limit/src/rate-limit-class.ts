import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

/**
 * The rate-limit classes, each with its own limit and window
 * (`RATE_LIMIT_<CLASS>_LIMIT`, `RATE_LIMIT_<CLASS>_WINDOW_SECONDS`).
 */
export const RATE_LIMIT_CLASSES = ['default', 'expensive', 'login', 'refresh'] as const;
export type RateLimitClassName = (typeof RATE_LIMIT_CLASSES)[number];

/**
 * Classes of the sign-in routes: keyed by client IP rather than by principal, and applied
 * to `@Public()` routes too (which are otherwise never limited). `login` guards against
 * password guessing, so its budget is small; `refresh` (a refresh token is 256 random bits,
 * nothing to guess) only against floods, so every person behind one office address can
 * refresh their session without spending the login budget.
 */
export const IP_RATE_LIMIT_CLASSES: ReadonlySet<RateLimitClassName> = new Set(['login', 'refresh']);

export const RATE_LIMIT_CLASS = 'sightline:rate-limit-class';
/** OpenAPI extension naming a route's class when it is not `default`. */
export const OPENAPI_RATE_LIMIT_CLASS = 'x-sightline-rate-limit-class';

/**
 * Moves a route (or every route of a controller) out of the `default` class:
 * it then counts against that class's budget only (see {@link IP_RATE_LIMIT_CLASSES}).
 */
export const RateLimitClass = (
  name: Exclude<RateLimitClassName, 'default'>,
): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(RATE_LIMIT_CLASS, name),
    ApiExtension(OPENAPI_RATE_LIMIT_CLASS, name),
  );
