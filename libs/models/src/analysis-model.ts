import { AppConfig, type LlmProvider } from '@app/config';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type ModelProvider, Runner } from '@openai/agents';
import { modelPassageClassifier, type PassageClassifier } from './passage-classifier';
import { type ModelSelection, selectModel } from './model-selection';

/**
 * The configured model of this process and the one SDK runner analyses run on
 * (parallel runs on one runner are safe, STACK.md). What an analysis records as its
 * `model.provider` and `model.name` comes from here, so it names what actually runs.
 */
@Injectable()
export class AnalysisModel implements OnApplicationShutdown {
  readonly provider: LlmProvider;
  readonly name: string;
  readonly runner: Runner;
  /**
   * The model behind the process-wide call limit, for a feature that runs its own runner
   * (its own workflow name) on the same model.
   */
  readonly modelProvider: ModelProvider;
  /** Labels text passages with the model; none for the builtin model (its scorer labels them). */
  readonly classifier: PassageClassifier | undefined;
  private readonly selection: ModelSelection;

  constructor(config: AppConfig) {
    this.selection = selectModel(config.llm);
    this.provider = this.selection.providerName;
    this.name = this.selection.modelName;
    this.modelProvider = this.selection.modelProvider;
    this.runner = new Runner({
      modelProvider: this.selection.modelProvider,
      // Also the runner's, so an agent built without a name still never gets the SDK's
      // default model and its GPT-5-only settings.
      model: this.name,
      workflowName: 'Sightline analysis',
      // Spans reach our processor (tracing/) and, when LLM_TRACE_EXPORT is on, OpenAI's
      // dashboard: neither gets prompts, model outputs or tool inputs and outputs.
      traceIncludeSensitiveData: false,
    });
    this.classifier =
      this.provider === 'builtin'
        ? undefined
        : modelPassageClassifier(this.selection.modelProvider, this.name);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.selection.close();
  }
}
