export { ReportsCoreModule, ReportsJobsModule, ReportsModule } from './reports.module';
