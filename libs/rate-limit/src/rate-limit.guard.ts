import { type Principal, PUBLIC_ROUTE } from '@app/access';
import { ProblemException } from '@app/common';
import { AppConfig } from '@app/config';
import { PrometheusService } from '@app/observability';
import { type ExecutionContext, Injectable, Logger, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createIpMatcher, type IpMatcher } from './ip-matcher';
import {
  IP_RATE_LIMIT_CLASSES,
  RATE_LIMIT_CLASS,
  type RateLimitClassName,
} from './rate-limit-class';
import {
  type HitRecord,
  isExemptPrincipal,
  rateLimitedDetail,
  rateLimitHeaders,
  secondsUntilReset,
  trackerFor,
} from './rate-limit-policy';

type LimitedRequest = FastifyRequest & { user?: Principal };

/**
 * Per-principal rate limits. Runs after authentication (it keys on
 * `request.user`) and before the permission check, so a caller hammering a
 * route it may not use still spends its budget.
 *
 * Every route is in the `default` class unless `@RateLimitClass()` says
 * otherwise, and counts against its class only; the budget is per class and
 * caller, shared by all routes of the class. Never limited: `@Public()` routes
 * outside the `login` class (probes, docs), the `service` role and clients in
 * `RATE_LIMIT_EXEMPT_CIDRS`. If the counter store fails, requests pass (logged
 * once per outage): an unavailable Redis must not take the API down with it.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly isExemptIp: IpMatcher;
  private readonly events = new Logger('RateLimit');
  private storageFailing = false;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storageService: ThrottlerStorage,
    reflector: Reflector,
    config: AppConfig,
    @Optional() private readonly metrics?: PrometheusService,
  ) {
    super(options, storageService, reflector);
    this.isExemptIp = createIpMatcher(config.rateLimits.exemptCidrs);
  }

  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return Promise.resolve(true);
    const request = context.switchToHttp().getRequest<LimitedRequest>();
    const isPublic =
      this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
        context.getHandler(),
        context.getClass(),
      ]) === true;
    return Promise.resolve(
      (isPublic && !IP_RATE_LIMIT_CLASSES.has(this.classOf(context))) ||
        isExemptPrincipal(request.user) ||
        this.isExemptIp(request.ip),
    );
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, blockDuration, throttler } = props;
    const rateClass = this.classOf(context);
    // The base guard asks every named throttler; only the route's own class counts it.
    if (throttler.name !== rateClass) return true;
    const http = context.switchToHttp();
    const request = http.getRequest<LimitedRequest>();
    const tracker = trackerFor(rateClass, request.user, request.ip, this.ipv6SubnetPrefix);
    const record = await this.hit(
      this.generateKey(context, tracker, rateClass),
      ttl,
      limit,
      blockDuration,
      rateClass,
    );
    if (record === undefined) return true;
    // Set on the reply now, so they also leave with any later 4xx/5xx (the
    // problem filter adds to the reply's headers, it does not replace them).
    const reply = http.getResponse<FastifyReply>();
    for (const [name, value] of Object.entries(rateLimitHeaders(limit, record))) {
      void reply.header(name, value);
    }
    if (record.isBlocked) {
      this.metrics?.rateLimitRejections.inc({ class: rateClass });
      throw new ProblemException(
        429,
        'rate-limited',
        rateLimitedDetail(rateClass, limit, Math.round(ttl / 1000), secondsUntilReset(record)),
      );
    }
    return true;
  }

  /**
   * One budget per class and caller, shared by every route of the class (the
   * base guard's key is per route). Readable on purpose: an operator can find
   * and clear a caller's counter.
   */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    rateClass: string,
  ): string {
    return `rate-limit:${rateClass}:${tracker}`;
  }

  private classOf(context: ExecutionContext): RateLimitClassName {
    return (
      this.reflector.getAllAndOverride<RateLimitClassName | undefined>(RATE_LIMIT_CLASS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'default'
    );
  }

  private async hit(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    rateClass: RateLimitClassName,
  ): Promise<HitRecord | undefined> {
    try {
      const record = await this.storageService.increment(key, ttl, limit, blockDuration, rateClass);
      if (this.storageFailing) {
        this.storageFailing = false;
        this.events.log('Rate-limit counters answer again; limits apply');
      }
      return record;
    } catch (error) {
      if (!this.storageFailing) {
        this.storageFailing = true;
        this.events.warn(
          `Rate-limit counters unavailable, letting requests through unlimited: ${String(error)}`,
        );
      }
      return undefined;
    }
  }
}
