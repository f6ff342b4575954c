import { DatasetsCoreModule } from '@app/datasets';
import { AnalysisModelModule } from '@app/models';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QuestionModel, SdkQuestionModel } from './agent/question-model';
import { QuestionsController } from './controllers/questions.controller';
import { QuestionEntity } from './entities/question.entity';
import { BuiltinQuestionPlanner } from './planner/builtin-question-planner';
import { QuestionPlanner } from './planner/question-planner';
import { CompiledDatasetQueries } from './query/compiled-dataset-queries';
import { DatasetQueries } from './query/dataset-queries';
import { QuestionQueryRepository } from './repositories/question-query.repository';
import { QuestionsRepository } from './repositories/questions.repository';
import { QuestionAnsweringService } from './services/question-answering.service';
import { QuestionsService } from './services/questions.service';

/**
 * Answering questions without the routes: the planner, the query runner and the service
 * that joins them, for `/v1/datasets/:id/questions` and for analyses (the worker too).
 */
@Module({
  imports: [AnalysisModelModule],
  providers: [
    QuestionQueryRepository,
    QuestionAnsweringService,
    { provide: QuestionPlanner, useClass: BuiltinQuestionPlanner },
    { provide: DatasetQueries, useClass: CompiledDatasetQueries },
    { provide: QuestionModel, useClass: SdkQuestionModel },
  ],
  exports: [QuestionAnsweringService],
})
export class QuestionsCoreModule {}

/** Ask a dataset: questions read as structured queries, answered, charted and kept. */
@Module({
  imports: [TypeOrmModule.forFeature([QuestionEntity]), DatasetsCoreModule, QuestionsCoreModule],
  controllers: [QuestionsController],
  providers: [QuestionsRepository, QuestionsService],
  exports: [QuestionsService],
})
export class QuestionsModule {}
