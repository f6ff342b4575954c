import { Public } from '@app/access';
import { CacheHealth } from '@app/cache';
import { ServiceLifecycle } from '@app/common';
import { AppConfig } from '@app/config';
import {
  applyDecorators,
  Controller,
  Get,
  Res,
  ServiceUnavailableException,
  VERSION_NEUTRAL,
} from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  DiskHealthIndicator,
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorFunction,
  HealthIndicatorService,
  MemoryHealthIndicator,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { HealthDto } from '../dtos/health.dto';

/** Terminus's probe behaviour (no caching), documented with Sightline's bounded `HealthDto`. */
const HealthProbe = (): MethodDecorator =>
  applyDecorators(
    HealthCheck({ swaggerDocumentation: false }),
    ApiOkResponse({
      type: HealthDto,
      description: 'The probe passed (`degraded`: only an optional check, the cache, failed)',
    }),
    ApiServiceUnavailableResponse({
      type: HealthDto,
      description: 'A required check failed, or the process is draining',
    }),
  );

/** Dependencies whose outage degrades the service without making it unready. */
const OPTIONAL_INDICATORS = new Set(['cache']);

/** Probes for orchestrators: liveness says the process serves, readiness that it can do useful work. */
@ApiTags('health')
@Public()
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly memory: MemoryHealthIndicator,
    private readonly disk: DiskHealthIndicator,
    private readonly lifecycle: ServiceLifecycle,
    private readonly config: AppConfig,
    private readonly cacheHealth: CacheHealth,
  ) {}

  /** Liveness: 200 while the process serves HTTP. Checks no dependency, so a database outage never restarts pods. */
  @Get('live')
  @HealthProbe()
  @ApiOperation({ summary: 'Liveness probe' })
  async live(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.respond(reply, []);
  }

  /**
   * Readiness: 200 only while the database answers and memory and disk are within their
   * limits. The shared cache (Redis) is reported too, but its outage only degrades the
   * service (reads go to the database): 200 with `status: "degraded"`.
   */
  @Get('ready')
  @HealthProbe()
  @ApiOperation({ summary: 'Readiness probe' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.respond(reply, [
      () => this.lifecycleCheck(),
      () => this.database.pingCheck('database', { timeout: 2000 }),
      () => this.memory.checkHeap('memoryHeap', this.config.health.heapMaxBytes),
      () =>
        this.disk.checkStorage('disk', {
          path: this.config.health.diskPath,
          thresholdPercent: this.config.health.diskMaxUsedRatio,
        }),
      () => this.cacheCheck(),
    ]);
  }

  private async cacheCheck() {
    const indicator = this.indicators.check('cache');
    const backend = await this.cacheHealth.check();
    if (backend.store === 'memory') return indicator.up({ store: 'memory' });
    return backend.up
      ? indicator.up({ store: 'redis' })
      : indicator.down({ store: 'redis', reason: backend.reason });
  }

  private lifecycleCheck() {
    const indicator = this.indicators.check('lifecycle');
    return this.lifecycle.isShuttingDown
      ? indicator.down({ state: 'draining' })
      : indicator.up({ state: 'serving' });
  }

  /** Terminus throws a 503 carrying its body; answer that body as-is rather than as problem+json. */
  private async respond(
    reply: FastifyReply,
    checks: HealthIndicatorFunction[],
  ): Promise<HealthCheckResult> {
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      const failing = Object.keys(result.error ?? {});
      if (failing.length > 0 && failing.every((name) => OPTIONAL_INDICATORS.has(name))) {
        return { ...result, status: 'degraded' as HealthCheckResult['status'] };
      }
      void reply.status(503);
      return result;
    }
  }
}
