import { Agent, Runner } from '@openai/agents';
import { BUILTIN_MODEL_NAME } from './builtin-model';
import { LimitedModel } from './limited-model';
import { selectModel } from './model-selection';

describe('selectModel', () => {
  it('names the builtin planner and runs an agent on it behind the limit', async () => {
    const selection = selectModel({ provider: 'builtin', maxConcurrency: 2 });

    expect(selection).toMatchObject({ providerName: 'builtin', modelName: BUILTIN_MODEL_NAME });
    expect(selection.limit.capacity).toBe(2);
    expect(await selection.modelProvider.getModel(BUILTIN_MODEL_NAME)).toBeInstanceOf(LimitedModel);
    const runner = new Runner({ modelProvider: selection.modelProvider, tracingDisabled: true });
    const agent = new Agent({ name: 'echo', instructions: 'Answer.', model: BUILTIN_MODEL_NAME });
    const result = await runner.run(agent, 'hello');
    expect(result.finalOutput).toBe('[]');
    await selection.close();
  });

  it('names the configured OpenAI model; the client is built without a network call', async () => {
    const selection = selectModel({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      apiKey: 'sk-test',
      traceExport: false,
      maxConcurrency: 8,
    });

    expect(selection).toMatchObject({ providerName: 'openai', modelName: 'gpt-4.1-mini' });
    expect(await selection.modelProvider.getModel('gpt-4.1-mini')).toBeInstanceOf(LimitedModel);
    await selection.close();
    await selection.close();
  });

  it('names an OpenAI-compatible server by provider and its model name', () => {
    const selection = selectModel({
      provider: 'openai-compatible',
      model: 'llama3.1:8b',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: undefined,
      maxConcurrency: 4,
    });

    expect(selection).toMatchObject({
      providerName: 'openai-compatible',
      modelName: 'llama3.1:8b',
    });
    expect(selection.limit.capacity).toBe(4);
  });
});
