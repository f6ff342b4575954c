import { Injectable } from '@nestjs/common';
import { planQuestion } from './builtin-planner';
import type { PlannerDataset, QuestionPlan } from './plan';
import { QuestionPlanner } from './question-planner';

/** The builtin planner behind the injectable seam: no model, deterministic, offline. */
@Injectable()
export class BuiltinQuestionPlanner extends QuestionPlanner {
  readonly model = { provider: 'builtin', name: 'sightline-builtin-question-planner-1' };

  plan(question: string, dataset: PlannerDataset): QuestionPlan {
    return planQuestion(question, dataset);
  }
}
