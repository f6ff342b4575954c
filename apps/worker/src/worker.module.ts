import { AnalysisJobsModule } from '@app/analysis';
import { CacheInfraModule } from '@app/cache';
import { CommonModule } from '@app/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule, JobQueueModule } from '@app/database';
import { HealthModule } from '@app/health';
import { IdempotencyJobsModule } from '@app/idempotency';
import { LoggingModule, PrometheusModule, TracingModule } from '@app/observability';
import { ReportsJobsModule } from '@app/reports';
import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';

/**
 * Composition root of the background process: the same configuration, logging
 * and database as the api, background modules, and no public HTTP beyond the
 * health probes.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(),
        PrometheusModule,
        TracingModule,
        CommonModule,
        // Runs the @Interval jobs of the modules below; stops them when the app closes.
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot({ connectionUrl: databaseUrl, applicationName: 'sightline-worker' }),
        // Shared with the api: readiness reports it, and jobs that write metrics invalidate it.
        JobQueueModule.forRoot(databaseUrl),
        CacheInfraModule,
        HealthModule,
        IdempotencyJobsModule,
        AnalysisJobsModule,
        ReportsJobsModule,
      ],
    };
  }
}
