import { RunContext } from '@openai/agents';
import { MAX_RECORDED_METRICS, recordMetricTool, ToolLedger } from './record-metric';

describe('ToolLedger', () => {
  it('groups recorded metrics by agent and call, with the dataset, up to the limit', () => {
    const ledger = new ToolLedger('d1');
    ledger.remember('c1', '{"x":1}');
    expect(ledger.output('c1')).toBe('{"x":1}');
    expect(ledger.output('c2')).toBeUndefined();
    for (let i = 0; i < MAX_RECORDED_METRICS; i++)
      ledger.record(i % 2 === 0 ? 'profile' : 'trends', 'c1', {
        name: 'm',
        value: i,
        dimensions: {},
      });
    expect(() => ledger.record('profile', 'c1', { name: 'm', value: 1, dimensions: {} })).toThrow(
      `at most ${MAX_RECORDED_METRICS} metrics`,
    );
    const groups = ledger.recorded();
    expect(groups.map((group) => [group.agent, group.toolCallId, group.metrics.length])).toEqual([
      ['profile', 'c1', MAX_RECORDED_METRICS / 2],
      ['trends', 'c1', MAX_RECORDED_METRICS / 2],
    ]);
    expect(groups[0]?.metrics[0]).toEqual({ name: 'm', value: 0, dimensions: {}, datasetId: 'd1' });
  });
});

describe('record_metric', () => {
  it('answers a refused call with the reason, so that the model may correct it', async () => {
    const ledger = new ToolLedger(undefined);
    ledger.remember('c1', '{"rowCount":30}');
    const call = (value: number, fromToolCallId: string) =>
      recordMetricTool(ledger, 'profile').invoke(
        new RunContext(),
        JSON.stringify({ name: 'rows', value, unit: null, dimensions: null, fromToolCallId }),
      );
    await expect(call(31, 'c1')).resolves.toContain('31 is not in the output of tool call c1');
    await expect(call(30, 'c9')).resolves.toContain('no tool call c9 has returned');
    expect(ledger.recorded()).toEqual([]);
    await expect(call(30, 'c1')).resolves.toBe('{"recorded":{"name":"rows","value":30}}');
    expect(ledger.recorded()).toHaveLength(1);
  });
});
