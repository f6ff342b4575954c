import { DatasetsCoreModule } from '@app/datasets';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
  imports: [TypeOrmModule.forFeature([QuestionEntity]), DatasetsCoreModule],
  controllers: [QuestionsController],
  providers: [
    QuestionsRepository,
    QuestionQueryRepository,
    QuestionsService,
    { provide: QuestionPlanner, useClass: BuiltinQuestionPlanner },
    { provide: DatasetQueries, useClass: CompiledDatasetQueries },
  ],
  exports: [QuestionsService],
})
export class QuestionsModule {}
