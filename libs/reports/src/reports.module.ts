import { MetricsCoreModule } from '@app/metrics';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReportDeliveryEntity } from './entities/report-delivery.entity';
import { ReportDocumentEntity } from './entities/report-document.entity';
import { ReportRunEntity } from './entities/report-run.entity';
import { ReportEntity } from './entities/report.entity';
import { ReportDeliveriesRepository } from './repositories/report-deliveries.repository';
import { ReportDocumentsRepository } from './repositories/report-documents.repository';
import { ReportRunsRepository } from './repositories/report-runs.repository';
import { ReportsRepository } from './repositories/reports.repository';

/** The report rules without HTTP and without background work. */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      ReportEntity,
      ReportRunEntity,
      ReportDocumentEntity,
      ReportDeliveryEntity,
    ]),
    MetricsCoreModule,
  ],
  providers: [
    ReportsRepository,
    ReportRunsRepository,
    ReportDocumentsRepository,
    ReportDeliveriesRepository,
  ],
  exports: [
    ReportsRepository,
    ReportRunsRepository,
    ReportDocumentsRepository,
    ReportDeliveriesRepository,
  ],
})
export class ReportsCoreModule {}

/** `/v1/reports` and `/v1/report-runs`: what the api imports. */
@Module({
  imports: [ReportsCoreModule],
})
export class ReportsModule {}

/** Schedules, generates and delivers reports in this process (the worker; the api inline). */
@Module({
  imports: [ReportsCoreModule],
})
export class ReportsJobsModule {}
