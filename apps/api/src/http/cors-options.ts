import type { NestFastifyApplication } from '@nestjs/platform-fastify';

type CorsOptions = NonNullable<Parameters<NestFastifyApplication['enableCors']>[0]>;

/**
 * CORS for the configured origins only. Credentials (the session cookies) are admitted
 * cross-origin only when every origin is named, never with a `*` entry: that would offer
 * a visitor's session to any site's scripts (browsers refuse the pair anyway).
 */
export function corsOptions(origins: string[]): CorsOptions {
  return {
    origin: origins,
    credentials: origins.length > 0 && !origins.includes('*'),
    exposedHeaders: [
      'X-Request-Id',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'Retry-After',
    ],
    maxAge: 600,
  };
}
