import type { AgentOutputItem } from '@openai/agents';
import { numbersIn, numbersNotFromTools, toolOutputTexts } from './tool-numbers';

describe('numbers from tools (the summary output guardrail)', () => {
  const tools = [JSON.stringify({ slope: 2.4871, pValue: 0.000123, rows: [31, 81], n: 120 })];

  it('accepts numbers the tools returned, exactly or rounded as shown', () => {
    const shown = numbersIn({
      narrative: 'sales rises by about 2.49 per day (p = 0.000123, n = 120); rows 31, 81',
      insights: [{ detail: 'slope 2.5' }],
      count: 120,
    });
    expect(numbersNotFromTools(shown, tools)).toEqual([]);
  });

  it('names each number no tool output holds', () => {
    const shown = numbersIn({ narrative: 'sales rises by 2.48 per day; 7 anomalies; n = 120' });
    expect(numbersNotFromTools(shown, tools)).toEqual(['2.48', '7']);
  });

  it('reads numbers inside strings and numeric leaves, ignoring signs', () => {
    expect(numbersIn(['2025-01-02', { a: -3.5, b: [1e-7] }, true, null])).toEqual([
      '2025',
      '01',
      '02',
      '3.5',
      '1e-7',
    ]);
  });

  it('takes tool outputs from function_call_result items only', () => {
    const items = [
      { type: 'function_call', callId: 'c1', name: 't', arguments: '{}' },
      {
        type: 'function_call_result',
        callId: 'c1',
        name: 't',
        output: { type: 'text', text: '{"x":42}' },
      },
      { type: 'function_call_result', callId: 'c2', name: 't', output: '{"y":7}' },
      // A model's own number, quoted back by record_metric's refusal: not a tool's.
      {
        type: 'function_call_result',
        callId: 'c3',
        name: 'record_metric',
        output: '5 is not in the output of tool call c1',
      },
    ] as unknown as AgentOutputItem[];
    expect(toolOutputTexts(items)).toEqual(['{"x":42}', '{"y":7}']);
  });
});
