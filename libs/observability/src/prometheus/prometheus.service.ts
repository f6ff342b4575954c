import { Injectable } from '@nestjs/common';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry and the metrics every module shares.
 * Feature modules add theirs through `registry` (or the helpers below) so
 * `/metrics` shows one coherent set, prefixed `sightline_`.
 */
@Injectable()
export class PrometheusService {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'sightline_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'sightline_http_request_duration_seconds',
    help: 'Time from request received to response sent, by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly rateLimitRejections = new Counter({
    name: 'sightline_rate_limit_rejections_total',
    help: 'Requests refused with 429, by rate-limit class',
    labelNames: ['class'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'sightline_cache_lookups_total',
    help: 'Cache look-ups by cache name and result (hit or miss)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'sightline_' });
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
