import { organizationIdOf } from '@app/tenancy';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Runner } from '@openai/agents';
import { BUILTIN_MODEL_NAME, BuiltinModelProvider } from '@app/models';
import { toolScans } from '../repositories/tool-query.repository';
import type { AnalysisContext } from './analysis-context';
import { AGENTS_SDK_VERSION, runAnalysis } from './orchestrator';
import type { AnalysisAnswer, QuestionAnswerer } from '../planning/question-answer';

describe('AGENTS_SDK_VERSION', () => {
  it('is the @openai/agents version package.json pins', () => {
    const manifest = JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@openai/agents']).toBe(AGENTS_SDK_VERSION);
  });
});

describe('runAnalysis with a question about a dataset', () => {
  const runner = new Runner({ modelProvider: new BuiltinModelProvider(), tracingDisabled: true });
  const dataset = {
    id: 'd-1',
    name: 'seattle-weather',
    tableName: 'dataset_d1',
    rowCount: 1461,
    typeChanges: [],
    columns: [
      { name: 'temp_max', column: 'c1', type: 'number' },
      { name: 'weather', column: 'c2', type: 'string' },
    ],
    profile: [],
  } as unknown as AnalysisContext['dataset'];
  const context: AnalysisContext = {
    organizationId: organizationIdOf('org-1'),
    dataset,
    ...toolScans(() => Promise.reject(new Error('no specialist runs here'))),
  };
  const answer: AnalysisAnswer = {
    text: 'Over the 641 rows where weather = rain, the average temp_max is 13.45.',
    query: {
      measures: [{ agg: 'count' }, { agg: 'avg', column: 'temp_max' }],
      filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
    },
    result: {
      columns: [
        { name: 'count', type: 'number' },
        { name: 'avg_temp_max', type: 'number' },
      ],
      rows: [[641, 13.454602184087365]],
      truncated: false,
    },
  };
  const analyse = (answerQuestion: QuestionAnswerer, question?: string) =>
    runAnalysis({
      runner,
      model: BUILTIN_MODEL_NAME,
      brief: {
        datasetId: dataset.id,
        ...(question === undefined ? {} : { question }),
      },
      context,
      agentTimeoutMs: 10_000,
      // The summary alone: the specialists' SQL is not what is composed here.
      agents: ['summary'],
      answerQuestion,
    });

  it('runs the answer step with the question, and the summary opens with its answer', async () => {
    const asked: string[] = [];
    const outcome = await analyse((question) => {
      asked.push(question);
      return Promise.resolve(answer);
    }, 'What was the average max temperature on rainy days?');
    expect(asked).toEqual(['What was the average max temperature on rainy days?']);
    expect(outcome.answer).toEqual(answer);
    // The summary's numbers guardrail took the answer's numbers as a tool's output.
    expect(outcome.agents.map((run) => [run.agent, run.status])).toEqual([
      ['summary', 'succeeded'],
    ]);
    expect(outcome.summary?.narrative.startsWith(`${answer.text} `)).toBe(true);
  });

  it('goes on without an answer when the planner refuses or the query fails', async () => {
    for (const answerer of [
      () => Promise.resolve(undefined),
      () => Promise.reject(new Error('the query ran out of time')),
    ]) {
      const outcome = await analyse(answerer, 'What should I cook tonight?');
      expect(outcome.answer).toBeUndefined();
      expect(outcome.agents.map((run) => run.status)).toEqual(['succeeded']);
      expect(outcome.summary?.narrative).toMatch(/^Nothing could be analysed\./);
    }
  });

  it('runs no answer step without a question', async () => {
    const asked: string[] = [];
    const outcome = await analyse((question) => {
      asked.push(question);
      return Promise.resolve(answer);
    });
    expect(asked).toEqual([]);
    expect(outcome.answer).toBeUndefined();
  });
});
