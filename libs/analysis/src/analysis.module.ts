import { DatasetsCoreModule } from '@app/datasets';
import { MetricsCoreModule } from '@app/metrics';
import { AnalysisModelModule } from '@app/models';
import { QuestionsCoreModule } from '@app/questions';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalysesController } from './controllers/analyses.controller';
import { AnalysisEventEntity } from './entities/analysis-event.entity';
import { AnalysisEntity } from './entities/analysis.entity';
import { AnalysisRunJob } from './jobs/analysis-run.job';
import { StaleAnalysesJob } from './jobs/stale-analyses.job';
import { AnalysisEventsRepository } from './repositories/analysis-events.repository';
import { AnalysesRepository } from './repositories/analyses.repository';
import { ToolQueryRepository } from './repositories/tool-query.repository';
import { AnalysesService } from './services/analyses.service';
import { AnalysisStreamService } from './services/analysis-stream.service';
import { MetricSeriesInputService } from './services/metric-series-input.service';
import { RunningAnalysesService } from './services/running-analyses.service';
import { AgentTracingService } from './tracing/agent-tracing.service';

/**
 * The analysis rules without HTTP and without consuming the queue: creating, reading and
 * cancelling analyses, and what the job that runs them uses.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([AnalysisEntity, AnalysisEventEntity]),
    MetricsCoreModule,
    DatasetsCoreModule,
    AnalysisModelModule,
    QuestionsCoreModule,
  ],
  providers: [
    AgentTracingService,
    AnalysesRepository,
    AnalysisEventsRepository,
    ToolQueryRepository,
    RunningAnalysesService,
    AnalysesService,
    MetricSeriesInputService,
  ],
  exports: [
    AnalysesService,
    AnalysesRepository,
    AnalysisEventsRepository,
    ToolQueryRepository,
    RunningAnalysesService,
    MetricsCoreModule,
    DatasetsCoreModule,
    AnalysisModelModule,
    QuestionsCoreModule,
  ],
})
export class AnalysisCoreModule {}

/** `/v1/analyses`: what the api imports (never the worker, which has no auth pipeline). */
@Module({
  imports: [AnalysisCoreModule],
  controllers: [AnalysesController],
  providers: [AnalysisStreamService],
})
export class AnalysisModule {}

/**
 * Runs analyses from the queue in this process: the worker imports it, and so does the api
 * with `WORKERS=inline`.
 */
@Module({
  imports: [AnalysisCoreModule],
  providers: [AnalysisRunJob, StaleAnalysesJob],
})
export class AnalysisJobsModule {}
