import { loadConfig } from './load-config';
import { problemsOf } from './testing/config-problems';

describe('loadConfig: the model behind the agents (LLM_*)', () => {
  const BASE_URL = 'http://127.0.0.1:11434/v1';
  const OPENAI_KEY = 'sk-test-0000000000000000';

  it('uses the builtin model when neither a key nor a URL is set', () => {
    expect(loadConfig({}).llm).toEqual({ provider: 'builtin', maxConcurrency: 8 });
  });

  it('chooses openai when OPENAI_API_KEY is set, with the default model and no trace export', () => {
    expect(loadConfig({ OPENAI_API_KEY: OPENAI_KEY }).llm).toEqual({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      apiKey: OPENAI_KEY,
      traceExport: false,
      maxConcurrency: 8,
    });
  });

  it('takes the openai model, concurrency and trace export when given', () => {
    const config = loadConfig({
      OPENAI_API_KEY: OPENAI_KEY,
      LLM_MODEL: 'gpt-4.1',
      LLM_MAX_CONCURRENCY: '3',
      LLM_TRACE_EXPORT: 'true',
    });

    expect(config.llm).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1',
      maxConcurrency: 3,
      traceExport: true,
    });
  });

  it('chooses openai-compatible when LLM_BASE_URL is set', () => {
    expect(loadConfig({ LLM_BASE_URL: BASE_URL, LLM_MODEL: 'llama3.1:8b' }).llm).toEqual({
      provider: 'openai-compatible',
      baseUrl: BASE_URL,
      model: 'llama3.1:8b',
      apiKey: undefined,
      maxConcurrency: 8,
    });
  });

  it('passes LLM_API_KEY to an openai-compatible server', () => {
    const config = loadConfig({
      LLM_PROVIDER: 'openai-compatible',
      LLM_BASE_URL: BASE_URL,
      LLM_MODEL: 'm',
      LLM_API_KEY: 'local-key',
    });

    expect(config.llm).toMatchObject({ provider: 'openai-compatible', apiKey: 'local-key' });
  });

  it('uses the builtin model in tests even when a key is in the environment', () => {
    const config = loadConfig({ NODE_ENV: 'test', OPENAI_API_KEY: OPENAI_KEY });

    expect(config.llm.provider).toBe('builtin');
  });

  it('lets LLM_PROVIDER=builtin win over a key', () => {
    const config = loadConfig({ LLM_PROVIDER: 'builtin', OPENAI_API_KEY: OPENAI_KEY });

    expect(config.llm.provider).toBe('builtin');
  });

  it('requires LLM_BASE_URL and LLM_MODEL for openai-compatible, naming both', () => {
    expect(problemsOf({ LLM_PROVIDER: 'openai-compatible' }).sort()).toEqual([
      "LLM_BASE_URL: is required when LLM_PROVIDER is openai-compatible (the server's Chat Completions base URL, e.g. http://127.0.0.1:11434/v1)",
      'LLM_MODEL: is required when LLM_PROVIDER is openai-compatible (the model name the server serves)',
    ]);
  });

  it('says why openai-compatible was chosen when its model is missing', () => {
    expect(problemsOf({ LLM_BASE_URL: BASE_URL })).toEqual([
      'LLM_MODEL: is required when LLM_PROVIDER is openai-compatible, chosen because LLM_BASE_URL is set (the model name the server serves)',
    ]);
  });

  it('requires OPENAI_API_KEY for openai', () => {
    expect(problemsOf({ LLM_PROVIDER: 'openai' })).toEqual([
      'OPENAI_API_KEY: is required when LLM_PROVIDER is openai (set OPENAI_API_KEY or OPENAI_API_KEY_FILE)',
    ]);
  });

  it('refuses a base URL and a server key next to an OpenAI key, saying which provider won', () => {
    expect(
      problemsOf({ OPENAI_API_KEY: OPENAI_KEY, LLM_BASE_URL: BASE_URL, LLM_API_KEY: 'k' }),
    ).toEqual([
      'LLM_BASE_URL: applies only to LLM_PROVIDER=openai-compatible (LLM_PROVIDER is openai, chosen because OPENAI_API_KEY is set)',
      'LLM_API_KEY: applies only to LLM_PROVIDER=openai-compatible (LLM_PROVIDER is openai, chosen because OPENAI_API_KEY is set)',
    ]);
  });

  it('refuses LLM_MODEL for the builtin model', () => {
    expect(problemsOf({ LLM_PROVIDER: 'builtin', LLM_MODEL: 'gpt-4.1' })).toEqual([
      'LLM_MODEL: does not apply to the builtin model (LLM_PROVIDER is builtin)',
    ]);
  });

  it('refuses trace export unless the provider is openai', () => {
    const problems = problemsOf({
      LLM_BASE_URL: BASE_URL,
      LLM_MODEL: 'm',
      LLM_TRACE_EXPORT: 'yes',
    });

    expect(problems).toEqual([
      expect.stringMatching(/^LLM_TRACE_EXPORT: applies only to LLM_PROVIDER=openai /),
    ]);
  });

  it.each([
    [{ LLM_PROVIDER: 'anthropic' }, 'LLM_PROVIDER: must be builtin, openai or openai-compatible'],
    [
      { LLM_BASE_URL: 'ftp://models.internal/v1', LLM_MODEL: 'm' },
      'LLM_BASE_URL: must be an http:// or https:// URL',
    ],
    [
      { OPENAI_API_KEY: OPENAI_KEY, LLM_MODEL: 'two words' },
      'LLM_MODEL: must be a model name (no spaces, at most 200 characters)',
    ],
    [{ LLM_MAX_CONCURRENCY: '0' }, 'LLM_MAX_CONCURRENCY: must be at least 1'],
    [{ LLM_TRACE_EXPORT: 'maybe' }, 'LLM_TRACE_EXPORT: must be one of true, false, 1, 0, yes, no'],
  ])('names a bad value: %o', (environment, problem) => {
    expect(problemsOf(environment)).toEqual([problem]);
  });

  describe('QUESTIONS_PLANNER: who reads a question', () => {
    it('defaults to auto and takes builtin or model', () => {
      expect(loadConfig({}).questions.planner).toBe('auto');
      expect(loadConfig({ QUESTIONS_PLANNER: 'builtin' }).questions.planner).toBe('builtin');
      const config = loadConfig({
        LLM_BASE_URL: BASE_URL,
        LLM_MODEL: 'm',
        QUESTIONS_PLANNER: 'model',
      });
      expect(config.questions.planner).toBe('model');
    });

    it('refuses the model planner without a model, and an unknown planner', () => {
      expect(problemsOf({ QUESTIONS_PLANNER: 'model' })).toEqual([
        'QUESTIONS_PLANNER: model needs a model behind the agents (LLM_PROVIDER is builtin, chosen because neither OPENAI_API_KEY nor LLM_BASE_URL is set)',
      ]);
      expect(problemsOf({ QUESTIONS_PLANNER: 'llm' })).toEqual([
        'QUESTIONS_PLANNER: must be auto, builtin or model',
      ]);
    });
  });
});
