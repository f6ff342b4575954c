import { Agent, Runner, tool } from '@openai/agents';
import { z } from 'zod';
import { BUILTIN_MODEL_NAME, BuiltinModel, BuiltinModelProvider } from './builtin-model';

/** A small agent as the specialists are built: enum-scoped tools and a structured output. */
function statsAgent(calls: string[]) {
  const prices: Record<string, number> = { price: 9.5, qty: 3 };
  return new Agent({
    name: 'stats',
    instructions: 'Compute the mean of each column and the size of the dataset.',
    model: BUILTIN_MODEL_NAME,
    tools: [
      tool({
        name: 'column_mean',
        description: 'Mean of one numeric column',
        parameters: z.object({ column: z.enum(['price', 'qty']) }),
        execute: ({ column }) => {
          calls.push(`column_mean(${column})`);
          return JSON.stringify({ means: [{ column, mean: prices[column] }] });
        },
      }),
      tool({
        name: 'dataset_size',
        description: 'Rows of the dataset',
        parameters: z.object({ datasetId: z.string(), sample: z.number().nullable() }),
        execute: ({ datasetId, sample }) => {
          calls.push(`dataset_size(${datasetId}, ${String(sample)})`);
          return JSON.stringify({ rowCount: 42 });
        },
      }),
      tool({
        name: 'needs_a_threshold',
        description: 'Cannot be called: nothing in the brief says what the threshold is',
        parameters: z.object({ threshold: z.number() }),
        execute: () => {
          calls.push('needs_a_threshold');
          return '{}';
        },
      }),
    ],
    outputType: z.object({
      means: z.array(z.object({ column: z.string(), mean: z.number() })),
      rowCount: z.number().nullable(),
      note: z.string(),
    }),
  });
}

describe('BuiltinModel', () => {
  const runner = new Runner({ modelProvider: new BuiltinModelProvider(), tracingDisabled: true });

  it('calls the tools the brief can fill, once per enum value, then answers from their outputs', async () => {
    const calls: string[] = [];
    const result = await runner.run(statsAgent(calls), JSON.stringify({ datasetId: 'd-1' }));
    expect(calls.sort()).toEqual([
      'column_mean(price)',
      'column_mean(qty)',
      'dataset_size(d-1, null)',
    ]);
    expect(result.finalOutput).toEqual({
      means: [
        { column: 'price', mean: 9.5 },
        { column: 'qty', mean: 3 },
      ],
      rowCount: 42,
      note: '',
    });
  });

  it('calls an enum tool only for the columns the brief focuses on, when it names any', async () => {
    const focusedCalls: string[] = [];
    await runner.run(
      statsAgent(focusedCalls),
      JSON.stringify({ datasetId: 'd-1', focus: { columns: ['qty'], specialists: [] } }),
    );
    expect(focusedCalls.sort()).toEqual(['column_mean(qty)', 'dataset_size(d-1, null)']);
    // A focus on columns this tool does not take leaves its enum whole.
    const elsewhere: string[] = [];
    await runner.run(
      statsAgent(elsewhere),
      JSON.stringify({ datasetId: 'd-1', focus: { columns: ['weather'], specialists: [] } }),
    );
    expect(elsewhere.sort()).toEqual([
      'column_mean(price)',
      'column_mean(qty)',
      'dataset_size(d-1, null)',
    ]);
  });

  it('answers the same for the same brief', async () => {
    const first = await runner.run(statsAgent([]), JSON.stringify({ datasetId: 'd-2' }));
    const second = await runner.run(statsAgent([]), JSON.stringify({ datasetId: 'd-2' }));
    expect(second.finalOutput).toEqual(first.finalOutput);
    const callIds = (run: typeof first) =>
      run.newItems.filter((item) => item.type === 'tool_call_item').map((item) => item.rawItem);
    expect(callIds(second)).toEqual(callIds(first));
  });

  it('skips a tool whose required fields the brief lacks, and answers nulls it cannot fill', async () => {
    const calls: string[] = [];
    const result = await runner.run(statsAgent(calls), 'no JSON here');
    expect(calls.sort()).toEqual(['column_mean(price)', 'column_mean(qty)']);
    expect(result.finalOutput).toMatchObject({ rowCount: null, note: '' });
  });

  it('stops when the request is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      new BuiltinModel().getResponse({
        input: 'x',
        modelSettings: {},
        tools: [],
        outputType: 'text',
        handoffs: [],
        tracing: false,
        signal: controller.signal,
      }),
    ).rejects.toThrow();
  });
});
