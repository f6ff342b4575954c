import type { LlmConfig, LlmProvider } from '@app/config';
import { type ModelProvider, OpenAIProvider } from '@openai/agents';
import { BUILTIN_MODEL_NAME, BuiltinModelProvider } from './builtin-model';
import { CallLimit, LimitedModelProvider } from './limited-model';

/**
 * The model the agents run on, chosen from the configuration. `providerName` and
 * `modelName` are what an analysis records as having run it.
 */
export interface ModelSelection {
  providerName: LlmProvider;
  /** The name every agent is given explicitly (STACK.md: never the SDK's default). */
  modelName: string;
  /** Hands out the model, behind the process-wide limit of concurrent calls. */
  modelProvider: ModelProvider;
  limit: CallLimit;
  /** Releases what the provider holds (cached clients); safe to call more than once. */
  close(): Promise<void>;
}

/**
 * The SDK provider for each configured provider:
 * - `builtin`: the deterministic planner, no network.
 * - `openai`: OpenAI's Responses API with the configured key (never the SDK's global
 *   default client or key from the environment).
 * - `openai-compatible`: Chat Completions at `baseUrl` (Ollama, vLLM, LocalAI, LiteLLM
 *   speak it; few speak Responses). The OpenAI client refuses an empty key even where the
 *   server wants none, so an absent key is sent as `local`; never the OpenAI key, which
 *   must not reach a third-party server.
 */
export function selectModel(llm: LlmConfig): ModelSelection {
  const limit = new CallLimit(llm.maxConcurrency);
  switch (llm.provider) {
    case 'builtin':
      return selection('builtin', BUILTIN_MODEL_NAME, new BuiltinModelProvider(), limit);
    case 'openai':
      return selection(
        'openai',
        llm.model,
        new OpenAIProvider({ apiKey: llm.apiKey, useResponses: true }),
        limit,
      );
    case 'openai-compatible':
      return selection(
        'openai-compatible',
        llm.model,
        new OpenAIProvider({
          baseURL: llm.baseUrl,
          apiKey: llm.apiKey ?? 'local',
          useResponses: false,
        }),
        limit,
      );
  }
}

function selection(
  providerName: LlmProvider,
  modelName: string,
  inner: ModelProvider,
  limit: CallLimit,
): ModelSelection {
  return {
    providerName,
    modelName,
    modelProvider: new LimitedModelProvider(inner, limit, providerName),
    limit,
    close: async () => {
      if (inner instanceof OpenAIProvider) await inner.close();
    },
  };
}
