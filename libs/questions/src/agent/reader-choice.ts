import type { QuestionPlannerSetting } from '@app/config';
import type { QuestionPlan } from '../planner/plan';

/** Who reads a question: the builtin planner, or the `ask` agent on the configured model. */
export type QuestionReader = 'builtin' | 'model';

/** Whether the builtin planner runs at all: not when the model always reads. */
export function wantsBuiltinPlan(setting: QuestionPlannerSetting, hasModel: boolean): boolean {
  return !hasModel || setting !== 'model';
}

/**
 * The reader of a question. Without a model, and with `builtin`, the builtin planner (its
 * refusal stands); with `model`, the model. With `auto`, the builtin plan when it is sure —
 * planned with confidence 1, which is cheap and deterministic — else the model: a refusal or
 * a hedged reading is what a model may do better.
 */
export function chooseReader(
  setting: QuestionPlannerSetting,
  hasModel: boolean,
  plan: QuestionPlan | undefined,
): QuestionReader {
  if (!hasModel) return 'builtin';
  switch (setting) {
    case 'builtin':
      return 'builtin';
    case 'model':
      return 'model';
    case 'auto':
      return plan?.kind === 'planned' && plan.confidence === 1 ? 'builtin' : 'model';
  }
}
