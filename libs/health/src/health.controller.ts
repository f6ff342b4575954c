import { Public } from '@app/access';
import { ServiceLifecycle } from '@app/common';
import { AppConfig } from '@app/config';
import { Controller, Get, Res, ServiceUnavailableException, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
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
  ) {}

  /** Liveness: 200 while the process serves HTTP. Checks no dependency, so a database outage never restarts pods. */
  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness probe' })
  async live(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult> {
    return this.respond(reply, []);
  }

  /** Readiness: 200 only while the database answers and memory and disk are within their limits. */
  @Get('ready')
  @HealthCheck()
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
    ]);
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
      void reply.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }
}
