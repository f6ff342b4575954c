import { RunContext } from '@openai/agents';
import { InvalidQueryError } from '../query/dataset-queries';
import type { QueryResult, StructuredQuery } from '../query/structured-query';
import { QueryLedger, QueryRefinementsSpentError, runQueryTool } from './run-query-tool';

const RESULT: QueryResult = {
  columns: [{ name: 'count', type: 'integer' }],
  rows: [[641]],
  truncated: false,
};
/** As a model fills the schema in strict mode: absent members are null. */
const COUNT = {
  select: null,
  measures: [{ agg: 'count', column: null, as: null }],
  groupBy: null,
  filters: null,
  compare: null,
  orderBy: null,
  limit: null,
};
const details = (callId: string) => ({
  toolCall: {
    type: 'function_call' as const,
    callId,
    name: 'run_query',
    arguments: '{}',
  },
});

describe('run_query: the ask agent’s tool', () => {
  function setUp(run: (query: StructuredQuery) => Promise<QueryResult>) {
    const ledger = new QueryLedger();
    const tool = runQueryTool(run, ledger);
    const invoke = (args: unknown, callId = 'call_1') =>
      tool.invoke(new RunContext(), JSON.stringify(args), details(callId));
    return { ledger, invoke };
  }

  it('runs the query with the row cap and keeps the call that answered', async () => {
    const ran: StructuredQuery[] = [];
    const { ledger, invoke } = setUp((query) => {
      ran.push(query);
      return Promise.resolve(RESULT);
    });

    const output = await invoke(COUNT, 'call_ok');

    expect(ran).toEqual([{ measures: [{ agg: 'count' }], limit: 1000 }]);
    expect(JSON.parse(String(output))).toEqual({ columns: RESULT.columns, rows: [[641]] });
    expect(ledger.answered).toEqual({ toolCallId: 'call_ok', query: ran[0], result: RESULT });
  });

  it('returns a query that does not fit as text once, then gives up', async () => {
    const { ledger, invoke } = setUp(() =>
      Promise.reject(new InvalidQueryError('The query does not fit the dataset: humidity')),
    );

    const first = await invoke(COUNT);
    expect(first).toBe(
      'Error: The query does not fit the dataset: humidity. Correct the query and call run_query again.',
    );
    expect(ledger.refusal).toBeUndefined();

    await expect(invoke(COUNT)).rejects.toBeInstanceOf(QueryRefinementsSpentError);
    expect(ledger.refusal).toMatch(/^the model's query did not fit the dataset after 1 correction/);
    expect(ledger.answered).toBeUndefined();
  });

  it('returns arguments the schema refuses as text, counted as a failure', async () => {
    const { ledger, invoke } = setUp(() => Promise.resolve(RESULT));

    const output = await invoke({ ...COUNT, measures: [{ agg: 'mode', column: null, as: null }] });

    expect(output).toMatch(/^Error: the arguments do not fit the run_query parameters schema\./);
    expect(ledger.failures).toBe(1);
  });

  it('lets a failure that is not the query’s (a database error) end the run as it is', async () => {
    const down = new Error('connection terminated');
    const { ledger, invoke } = setUp(() => Promise.reject(down));
    await expect(invoke(COUNT)).rejects.toBe(down);
    expect(ledger.failures).toBe(0);
  });
});
