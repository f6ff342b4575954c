import { AnalysisModelModule } from '@app/analysis';
import { DatasetsCoreModule } from '@app/datasets';
import { forwardRef, Module } from '@nestjs/common';
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
import { QuestionsService } from './services/questions.service';

/** Ask a dataset: questions read as structured queries, answered, charted and kept. */
@Module({
  imports: [
    TypeOrmModule.forFeature([QuestionEntity]),
    DatasetsCoreModule,
    // @app/analysis reads @app/questions (an analysis's question focus): the cycle means
    // the module is not yet defined when this decorator runs.
    forwardRef(() => AnalysisModelModule),
  ],
  controllers: [QuestionsController],
  providers: [
    QuestionsRepository,
    QuestionQueryRepository,
    QuestionsService,
    { provide: QuestionPlanner, useClass: BuiltinQuestionPlanner },
    { provide: DatasetQueries, useClass: CompiledDatasetQueries },
    { provide: QuestionModel, useClass: SdkQuestionModel },
  ],
  exports: [QuestionsService],
})
export class QuestionsModule {}
