import type { Principal } from '@app/access';
import { PROBLEM_CONTENT_TYPE } from '@app/common';
import { AppConfig } from '@app/config';
import { PrometheusService } from '@app/observability';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createIpMatcher, type IpMatcher } from './ip-matcher';
import {
  type HitRecord,
  rateLimitHeaders,
  secondsUntilReset,
  trackerFor,
} from './rate-limit-policy';

/** The counter's class name, in keys, metrics and the 429's detail. */
const ANONYMOUS_CLASS = 'anonymous';
/** IPv6 clients count per /64, as in every other IP class. */
const IPV6_SUBNET_PREFIX = 64;

/**
 * Requests that reach no principal cost the API work (a key lookup, the router) without
 * any principal's budget paying for it: failed authentications (401) and unknown routes
 * (404). They count per client IP in the `anonymous` class
 * (`RATE_LIMIT_ANONYMOUS_LIMIT` per `RATE_LIMIT_ANONYMOUS_WINDOW_SECONDS`); past the limit
 * they answer 429 instead, until the window ends.
 *
 * Counted in `onSend`, because neither passes the rate-limit guard: authentication runs
 * before it, and an unknown route reaches no Nest guard at all. A request a guard already
 * counted (the `login` and `refresh` classes set `RateLimit-*`) is not counted again, and a
 * request that authenticates never counts: a good key from a limited address still works.
 * Exempt: `RATE_LIMIT_EXEMPT_CIDRS`. A failing counter store lets responses through.
 */
@Injectable()
export class AnonymousRateLimit {
  private readonly isExemptIp: IpMatcher;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly events = new Logger('RateLimit');
  private storageFailing = false;

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    config: AppConfig,
    @Optional() private readonly metrics?: PrometheusService,
  ) {
    this.isExemptIp = createIpMatcher(config.rateLimits.exemptCidrs);
    this.limit = config.rateLimits.anonymous.limit;
    this.windowMs = config.rateLimits.anonymous.windowSeconds * 1000;
  }

  /** Adds the hook; register it before compression, so a 429 replaces the plain body. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onSend', async (request, reply, payload) => {
      if (!this.counts(request, reply)) return payload;
      const record = await this.hit(request.ip);
      if (record === undefined) return payload;
      for (const [name, value] of Object.entries(rateLimitHeaders(this.limit, record))) {
        void reply.header(name, value);
      }
      if (!record.isBlocked) return payload;
      this.metrics?.rateLimitRejections.inc({ class: ANONYMOUS_CLASS });
      reply.removeHeader('www-authenticate');
      void reply.status(429).header('content-type', PROBLEM_CONTENT_TYPE);
      return JSON.stringify({
        type: '/problems/rate-limited',
        title: 'Too Many Requests',
        status: 429,
        detail:
          `Rate limit exceeded for the ${ANONYMOUS_CLASS} class (${this.limit} failed ` +
          `authentications or unknown routes per ${this.windowMs / 1000} s from one address); ` +
          `retry in ${secondsUntilReset(record)} s`,
        instance: request.url.slice(0, 1024),
        requestId: request.id,
      });
    });
  }

  private counts(request: FastifyRequest, reply: FastifyReply): boolean {
    const unauthenticated =
      reply.statusCode === 401 &&
      (request as FastifyRequest & { user?: Principal }).user === undefined;
    if (!unauthenticated && !request.is404) return false;
    return !reply.hasHeader('ratelimit-limit') && !this.isExemptIp(request.ip);
  }

  private async hit(ip: string): Promise<HitRecord | undefined> {
    const key = `rate-limit:${ANONYMOUS_CLASS}:${trackerFor('default', undefined, ip, IPV6_SUBNET_PREFIX)}`;
    try {
      const record = await this.storage.increment(
        key,
        this.windowMs,
        this.limit,
        // Blocked for a window once over, as the guard blocks the other classes.
        this.windowMs,
        ANONYMOUS_CLASS,
      );
      this.storageFailing = false;
      return record;
    } catch (error) {
      if (!this.storageFailing) {
        this.storageFailing = true;
        this.events.warn(`Anonymous rate-limit counters unavailable: ${String(error)}`);
      }
      return undefined;
    }
  }
}
