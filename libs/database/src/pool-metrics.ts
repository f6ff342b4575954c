import { PrometheusService } from '@app/observability';
import { Injectable, type OnModuleInit, Optional } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';

interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** Connection-pool gauges (total, idle, waiting clients), read at scrape time. */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    @Optional() private readonly metrics?: PrometheusService,
  ) {}

  onModuleInit(): void {
    if (this.metrics === undefined) return;
    const dataSource = this.dataSource;
    new Gauge({
      name: 'sightline_db_pool_connections',
      help: 'PostgreSQL pool clients by state (total, idle, waiting requests)',
      labelNames: ['state'] as const,
      registers: [this.metrics.registry],
      collect() {
        // TypeORM's postgres driver keeps the pg Pool as `master`.
        const pool = (dataSource.driver as unknown as { master?: PoolCounts }).master;
        if (pool === undefined) return;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
}
