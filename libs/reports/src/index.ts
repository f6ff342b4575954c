export { ReportsCoreModule, ReportsJobsModule, ReportsModule } from './reports.module';
export { ReportEntity } from './entities/report.entity';
export { ReportRunEntity } from './entities/report-run.entity';
export { ReportSchedulerJob } from './jobs/report-scheduler.job';
export { ReportRunJob } from './jobs/report-run.job';
export { ReportDeliveryJob } from './jobs/report-delivery.job';
export { StaleReportRunsJob } from './jobs/stale-report-runs.job';
