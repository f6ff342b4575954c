import { DatasetsCoreModule } from '@app/datasets';
import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QuestionsController } from './controllers/questions.controller';
import { QuestionEntity } from './entities/question.entity';
import { QuestionPlanner } from './planner/question-planner';
import { DatasetQueries } from './query/dataset-queries';
import { PendingDatasetQueries, PendingQuestionPlanner } from './questions-engine.pending';
import { QuestionsRepository } from './repositories/questions.repository';
import { QuestionsService } from './services/questions.service';

/** Ask a dataset: questions read as structured queries, answered, charted and kept. */
@Module({
  imports: [TypeOrmModule.forFeature([QuestionEntity]), DatasetsCoreModule],
  controllers: [QuestionsController],
  providers: [
    QuestionsRepository,
    QuestionsService,
    { provide: QuestionPlanner, useClass: PendingQuestionPlanner },
    { provide: DatasetQueries, useClass: PendingDatasetQueries },
  ],
  exports: [QuestionsService],
})
export class QuestionsModule {}
