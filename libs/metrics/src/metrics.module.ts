import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsCache } from './cache/metrics-cache';
import { SeriesWarmer } from './cache/series-warmer';
import { MetricsController } from './controllers/metrics.controller';
import { MetricEntity, MetricNameEntity } from './entities/metric.entity';
import { MetricsRepository } from './repositories/metrics.repository';
import { MetricsExportService } from './services/metrics-export.service';
import { MetricsService } from './services/metrics.service';

/**
 * The metrics rules without HTTP: what the analysis consumer imports, in the worker too
 * (which must not mount the API's routes: it has no authentication pipeline).
 */
@Module({
  imports: [TypeOrmModule.forFeature([MetricEntity, MetricNameEntity])],
  providers: [MetricsRepository, MetricsCache, SeriesWarmer, MetricsService, MetricsExportService],
  exports: [MetricsService, MetricsExportService, SeriesWarmer],
})
export class MetricsCoreModule {}

/** Metrics: bulk writes, filtered and bucketed reads (cached), export and charts. */
@Module({
  imports: [MetricsCoreModule],
  controllers: [MetricsController],
})
export class MetricsModule {}
