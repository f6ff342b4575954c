import { AnalysisModel } from '@app/models';
import { Injectable } from '@nestjs/common';
import { Runner } from '@openai/agents';
import type { PlannerModel } from '../planner/question-planner';
import { type AskOutcome, type AskRequest, askModel } from './ask-agent';

/** The configured model as questions use it; a class so Nest injects it and tests stand in. */
export abstract class QuestionModel {
  /** The model that would answer, or undefined with `LLM_PROVIDER=builtin` (no model). */
  abstract readonly model: PlannerModel | undefined;
  abstract ask(request: Omit<AskRequest, 'runner' | 'model'>): Promise<AskOutcome>;
}

/** {@link QuestionModel} on the process's model (and its call limit), through the SDK runner. */
@Injectable()
export class SdkQuestionModel extends QuestionModel {
  readonly model: PlannerModel | undefined;
  private readonly runner: Runner | undefined;

  constructor(configured: AnalysisModel) {
    super();
    if (configured.provider === 'builtin') return;
    this.model = { provider: configured.provider, name: configured.name };
    // A runner of its own for the workflow's name in traces; the model and limit are shared.
    this.runner = new Runner({
      modelProvider: configured.modelProvider,
      model: configured.name,
      workflowName: 'Sightline question',
      traceIncludeSensitiveData: false,
    });
  }

  ask(request: Omit<AskRequest, 'runner' | 'model'>): Promise<AskOutcome> {
    if (this.runner === undefined || this.model === undefined) {
      return Promise.reject(new Error('no model is configured (LLM_PROVIDER=builtin)'));
    }
    return askModel({ ...request, runner: this.runner, model: this.model.name });
  }
}
