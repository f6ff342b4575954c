import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsCache } from './cache/metrics-cache';
import { SeriesWarmer } from './cache/series-warmer';
import { MetricsController } from './controllers/metrics.controller';
import { MetricEntity, MetricNameEntity } from './entities/metric.entity';
import { MetricsRepository } from './repositories/metrics.repository';
import { MetricsExportService } from './services/metrics-export.service';
import { MetricsService } from './services/metrics.service';

/** Metrics: bulk writes, filtered and bucketed reads (cached), export and charts. */
@Module({
  imports: [TypeOrmModule.forFeature([MetricEntity, MetricNameEntity])],
  controllers: [MetricsController],
  providers: [MetricsRepository, MetricsCache, SeriesWarmer, MetricsService, MetricsExportService],
  exports: [MetricsService],
})
export class MetricsModule {}
