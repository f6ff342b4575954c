import { AuditCoreModule } from '@app/audit';
import { DatasetsCoreModule } from '@app/datasets';
import { MetricsCoreModule } from '@app/metrics';
import { AnalysisModelModule } from '@app/models';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ReportRunsController } from './controllers/report-runs.controller';
import { ReportsController } from './controllers/reports.controller';
import { ReportDeliveryEntity } from './entities/report-delivery.entity';
import { ReportDocumentEntity } from './entities/report-document.entity';
import { ReportRunEntity } from './entities/report-run.entity';
import { ReportEntity } from './entities/report.entity';
import { ReportDeliveryJob } from './jobs/report-delivery.job';
import { ReportRetentionJob } from './jobs/report-retention.job';
import { ReportRunJob } from './jobs/report-run.job';
import { ReportSchedulerJob } from './jobs/report-scheduler.job';
import { StaleReportRunsJob } from './jobs/stale-report-runs.job';
import { ReportDeliveriesRepository } from './repositories/report-deliveries.repository';
import { ReportDocumentsRepository } from './repositories/report-documents.repository';
import { ReportRunsRepository } from './repositories/report-runs.repository';
import { ReportsRepository } from './repositories/reports.repository';
import { ReportGenerationService } from './services/report-generation.service';
import { ReportNarrativeService } from './services/report-narrative.service';
import { ReportRunsService } from './services/report-runs.service';
import { ReportTelemetryService } from './services/report-telemetry.service';
import { ReportsService } from './services/reports.service';

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
    DatasetsCoreModule,
    AuditCoreModule,
    AnalysisModelModule,
  ],
  providers: [
    ReportsRepository,
    ReportRunsRepository,
    ReportDocumentsRepository,
    ReportDeliveriesRepository,
    ReportsService,
    ReportRunsService,
    ReportGenerationService,
    ReportNarrativeService,
    ReportTelemetryService,
  ],
  exports: [
    ReportsRepository,
    ReportRunsRepository,
    ReportDocumentsRepository,
    ReportDeliveriesRepository,
    ReportsService,
    ReportRunsService,
    ReportGenerationService,
    ReportTelemetryService,
  ],
})
export class ReportsCoreModule {}

/** `/v1/reports` and `/v1/report-runs`: what the api imports. */
@Module({
  imports: [ReportsCoreModule],
  controllers: [ReportsController, ReportRunsController],
})
export class ReportsModule {}

/**
 * Schedules, generates and delivers reports in this process: the worker imports it, and
 * so does the api with `WORKERS=inline`.
 */
@Module({
  imports: [ReportsCoreModule],
  providers: [
    ReportSchedulerJob,
    ReportRunJob,
    ReportDeliveryJob,
    StaleReportRunsJob,
    ReportRetentionJob,
  ],
})
export class ReportsJobsModule {}
