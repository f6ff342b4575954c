import { DatasetsCoreModule } from '@app/datasets';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsCacheService } from './services/metrics-cache.service';
import { MetricsController } from './controllers/metrics.controller';
import { MetricNameEntity } from './entities/metric-name.entity';
import { MetricEntity } from './entities/metric.entity';
import { SeriesWarmerJob } from './jobs/series-warmer.job';
import { MetricPeriodsRepository } from './repositories/metric-periods.repository';
import { MetricsRepository } from './repositories/metrics.repository';
import { MetricPeriodsService } from './services/metric-periods.service';
import { MetricReadsService } from './services/metric-reads.service';
import { MetricsExportService } from './services/metrics-export.service';
import { MetricsService } from './services/metrics.service';

/**
 * The metrics rules without HTTP: what the analysis consumer imports, in the worker too
 * (which must not mount the API's routes: it has no authentication pipeline).
 */
@Module({
  imports: [TypeOrmModule.forFeature([MetricEntity, MetricNameEntity]), DatasetsCoreModule],
  providers: [
    MetricsRepository,
    MetricPeriodsRepository,
    MetricsCacheService,
    SeriesWarmerJob,
    MetricsService,
    MetricReadsService,
    MetricsExportService,
    MetricPeriodsService,
  ],
  exports: [
    MetricsService,
    MetricReadsService,
    MetricsExportService,
    MetricPeriodsService,
    SeriesWarmerJob,
  ],
})
export class MetricsCoreModule {}

/** Metrics: bulk writes, filtered and bucketed reads (cached), export and charts. */
@Module({
  imports: [MetricsCoreModule],
  controllers: [MetricsController],
})
export class MetricsModule {}
