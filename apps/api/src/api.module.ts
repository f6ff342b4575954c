import { AnalysisJobsModule, AnalysisModule } from '@app/analysis';
import { AuthModule } from '@app/auth';
import { CacheInfraModule } from '@app/cache';
import { CommonModule } from '@app/common';
import { type AppConfig, ConfigModule } from '@app/config';
import { DatabaseModule, JobQueueModule } from '@app/database';
import { DatasetsModule } from '@app/datasets';
import { MetricsModule } from '@app/metrics';
import { QuestionsModule } from '@app/questions';
import { ReportsJobsModule, ReportsModule } from '@app/reports';
import { HealthModule } from '@app/health';
import { IdempotencyJobsModule, IdempotencyModule } from '@app/idempotency';
import {
  LoggingModule,
  type LoggingModuleOptions,
  PrometheusModule,
  TracingModule,
} from '@app/observability';
import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';

export interface ApiModuleOptions {
  databaseUrl: string;
  logging?: LoggingModuleOptions;
}

/**
 * Composition root of the HTTP process. Feature modules are imported here;
 * with `WORKERS=inline` (the default) the background modules join them, so a
 * single process is a whole Sightline.
 */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logging),
        PrometheusModule,
        TracingModule,
        CommonModule,
        // Runs the @Interval jobs of the modules below; stops them when the app closes.
        ScheduleModule.forRoot(),
        DatabaseModule.forRoot({
          connectionUrl: options.databaseUrl,
          applicationName: 'sightline-api',
        }),
        JobQueueModule.forRoot(options.databaseUrl),
        CacheInfraModule,
        HealthModule,
        AuthModule,
        IdempotencyModule,
        DatasetsModule,
        MetricsModule,
        QuestionsModule,
        AnalysisModule,
        ReportsModule,
        ...(config.workers.mode === 'inline'
          ? [AnalysisJobsModule, IdempotencyJobsModule, ReportsJobsModule]
          : []),
      ],
    };
  }
}
