import { LLM_PROVIDERS, type LlmProvider } from './config.schema';

/*
 * The cross-field rules of the configuration: what one variable requires of another. They
 * are checked on the raw values, before the schema, so they are reported alongside every
 * other problem (a schema refinement would be skipped whenever a field is missing).
 */

/** The variables as read, before the schema: names to values, unset ones absent. */
export type Environment = Record<string, string | undefined>;

/**
 * Rules that hold only in production, checked on the raw values so they are
 * reported alongside every other problem (a schema refinement would be skipped
 * whenever a field is missing).
 */
export function productionProblems(values: Environment): string[] {
  if (values.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  if (values.DATABASE_URL === undefined) {
    problems.push(
      'DATABASE_URL: is required in production (the embedded database is for one machine only)',
    );
  }
  if (values.JWT_SECRET?.startsWith('insecure-') === true) {
    problems.push('JWT_SECRET: is required in production (set JWT_SECRET or JWT_SECRET_FILE)');
  }
  return problems;
}

function isLlmProvider(value: string | undefined): value is LlmProvider {
  return (LLM_PROVIDERS as readonly string[]).includes(value ?? '');
}

/**
 * Which model variables each provider needs and which it would silently ignore,
 * checked on the raw values like the production rules. A variable another provider
 * uses is an error rather than ignored: it usually means the provider is not the one
 * the operator meant.
 */
export function llmProblems(values: Environment, reason: string | undefined): string[] {
  const provider = values.LLM_PROVIDER;
  // A bad LLM_PROVIDER is the schema's to report.
  if (!isLlmProvider(provider)) return [];
  const which = `LLM_PROVIDER is ${provider}${reason === undefined ? '' : `, ${reason}`}`;
  const problems: string[] = [];
  const set = (name: string) => values[name] !== undefined;
  if (provider === 'openai' && !set('OPENAI_API_KEY')) {
    problems.push(
      'OPENAI_API_KEY: is required when LLM_PROVIDER is openai (set OPENAI_API_KEY or OPENAI_API_KEY_FILE)',
    );
  }
  if (provider === 'openai-compatible') {
    if (!set('LLM_BASE_URL')) {
      problems.push(
        `LLM_BASE_URL: is required when ${which} (the server's Chat Completions base URL, e.g. http://127.0.0.1:11434/v1)`,
      );
    }
    if (!set('LLM_MODEL')) {
      problems.push(`LLM_MODEL: is required when ${which} (the model name the server serves)`);
    }
  } else {
    for (const name of ['LLM_BASE_URL', 'LLM_API_KEY']) {
      if (set(name)) {
        problems.push(`${name}: applies only to LLM_PROVIDER=openai-compatible (${which})`);
      }
    }
  }
  if (provider === 'builtin' && set('LLM_MODEL')) {
    problems.push(`LLM_MODEL: does not apply to the builtin model (${which})`);
  }
  // Asking for the model planner without a model would silently answer with the builtin one.
  if (provider === 'builtin' && values.QUESTIONS_PLANNER === 'model') {
    problems.push(`QUESTIONS_PLANNER: model needs a model behind the agents (${which})`);
  }
  const traceExport = values.LLM_TRACE_EXPORT;
  if (
    provider !== 'openai' &&
    (traceExport === 'true' || traceExport === '1' || traceExport === 'yes')
  ) {
    problems.push(
      `LLM_TRACE_EXPORT: applies only to LLM_PROVIDER=openai (traces go to OpenAI with OPENAI_API_KEY; ${which})`,
    );
  }
  return problems;
}
