import type { PlannerDataset, QuestionPlan } from './plan';

/** Who planned an answer, as a question's `model` reports it (like an analysis's). */
export interface PlannerModel {
  provider: string;
  name: string;
}

/**
 * Turns a question into a structured query, or refuses it. A class so Nest can inject it and
 * tests can stand in for it; the builtin planner (`planQuestion`) is the implementation.
 */
export abstract class QuestionPlanner {
  abstract readonly model: PlannerModel;
  abstract plan(question: string, dataset: PlannerDataset): QuestionPlan;
}
