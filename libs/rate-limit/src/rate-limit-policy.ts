import type { Principal } from '@app/access';
import { normalizeIp, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { IP_RATE_LIMIT_CLASSES, type RateLimitClassName } from './rate-limit-class';

/** What the storage answers for one hit. */
export type HitRecord = Pick<
  ThrottlerLimitDetail,
  'totalHits' | 'timeToExpire' | 'isBlocked' | 'timeToBlockExpire'
>;

/**
 * Whose budget a request spends. An authenticated caller spends its own
 * (`user:<id>`, `apiKey:<id>`), so callers behind one NAT do not starve each
 * other; anonymous callers and every `login` or `refresh` attempt spend their client IP's
 * (`request.ip`, which honours `TRUST_PROXY`). IPv6 addresses count per /64
 * (`ipv6SubnetPrefix`), since one host usually owns a whole /64.
 */
export function trackerFor(
  rateClass: RateLimitClassName,
  principal: Principal | undefined,
  ip: string,
  ipv6SubnetPrefix: number,
): string {
  if (!IP_RATE_LIMIT_CLASSES.has(rateClass) && principal !== undefined) {
    return `${principal.kind}:${principal.id}`;
  }
  return `ip:${normalizeIp(ip, ipv6SubnetPrefix)}`;
}

/** The service role is exempt from rate limits (docs/api.md, "Rate limits"). */
export function isExemptPrincipal(principal: Principal | undefined): boolean {
  return principal?.role === 'service';
}

/** Seconds until the client may send again: the block when blocked, else the window's end. */
export function secondsUntilReset(record: HitRecord): number {
  const seconds = record.isBlocked ? record.timeToBlockExpire : record.timeToExpire;
  return Math.max(1, Math.ceil(seconds));
}

/**
 * The headers of a limited response (docs/api.md, "Rate limits"): `RateLimit-Limit`,
 * `RateLimit-Remaining`, `RateLimit-Reset` in whole seconds, and on a refusal
 * also `Retry-After`.
 */
export function rateLimitHeaders(limit: number, record: HitRecord): Record<string, string> {
  const reset = String(secondsUntilReset(record));
  const headers: Record<string, string> = {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(record.isBlocked ? 0 : Math.max(0, limit - record.totalHits)),
    'RateLimit-Reset': reset,
  };
  if (record.isBlocked) headers['Retry-After'] = reset;
  return headers;
}

/** The `detail` of a 429: which budget ran out and when to come back. */
export function rateLimitedDetail(
  rateClass: RateLimitClassName,
  limit: number,
  windowSeconds: number,
  retryAfterSeconds: number,
): string {
  return (
    `Rate limit exceeded for the ${rateClass} class (${limit} requests per ${windowSeconds} s); ` +
    `retry in ${retryAfterSeconds} s`
  );
}
