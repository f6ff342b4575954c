import { DatasetEntity, DatasetsCoreModule } from '@app/datasets';
import { MetricsCoreModule } from '@app/metrics';
import { AnalysisModelModule } from '@app/models';
import { QuestionsCoreModule } from '@app/questions';
import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalysesController } from './controllers/analyses.controller';
import { AnalysisEventEntity } from './entities/analysis-event.entity';
import { AnalysisEntity } from './entities/analysis.entity';
import { AnalysisEvents } from './services/analysis-events';
import { AnalysisStream } from './services/analysis-stream';
import { AnalysesService } from './services/analyses.service';
import { ANALYSIS_CONSUMER, AnalysisRunner } from './services/analysis-runner';
import { AnalysisStore } from './services/analysis-store';
import { MetricSeriesInput } from './services/metric-series-input';
import { AgentTracing } from './tracing/agent-tracing';

export interface AnalysisModuleOptions {
  /** Mount the HTTP routes (the api; never the worker, which has no auth pipeline). */
  http: boolean;
  /** Run analyses from the queue in this process. */
  consume: boolean;
}

/** Analyses: the agents, their orchestration, the queue consumer and `/v1/analyses`. */
@Module({})
export class AnalysisModule {
  static register(options: AnalysisModuleOptions): DynamicModule {
    return {
      module: AnalysisModule,
      imports: [
        TypeOrmModule.forFeature([AnalysisEntity, AnalysisEventEntity, DatasetEntity]),
        MetricsCoreModule,
        DatasetsCoreModule,
        AnalysisModelModule,
        QuestionsCoreModule,
      ],
      controllers: options.http ? [AnalysesController] : [],
      providers: [
        AgentTracing,
        AnalysisStore,
        AnalysisEvents,
        AnalysisStream,
        AnalysisRunner,
        AnalysesService,
        MetricSeriesInput,
        { provide: ANALYSIS_CONSUMER, useValue: options.consume },
      ],
      exports: [AnalysesService],
    };
  }
}
