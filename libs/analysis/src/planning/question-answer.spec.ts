import type { QueryResult } from '@app/questions';
import { type AnalysisAnswer, type AnswerMiss, answerStep } from './question-answer';

const result: QueryResult = {
  columns: [
    { name: 'count', type: 'number' },
    { name: 'avg_temp_max', type: 'number' },
  ],
  rows: [[641, 13.454602184087365]],
  truncated: false,
};
const answer: AnalysisAnswer = {
  text: 'Over the 641 rows where weather = rain, the average temp_max is 13.45.',
  query: {
    measures: [{ agg: 'count' }, { agg: 'avg', column: 'temp_max' }],
    filters: [{ column: 'weather', op: 'eq', value: 'rain' }],
  },
  result,
};

describe('answerStep', () => {
  const run = async (answerer: () => Promise<AnalysisAnswer | undefined>, signal?: AbortSignal) => {
    const misses: AnswerMiss[] = [];
    const got = await answerStep(
      answerer,
      'What was the average max temperature on rainy days?',
      signal ?? new AbortController().signal,
      (miss) => misses.push(miss),
    );
    return { got, misses };
  };

  it('gives the answer whose every number is its result', async () => {
    expect(await run(() => Promise.resolve(answer))).toEqual({ got: answer, misses: [] });
  });

  it('gives none when the planner refuses', async () => {
    expect(await run(() => Promise.resolve(undefined))).toEqual({
      got: undefined,
      misses: [{ kind: 'refused' }],
    });
  });

  it('gives none when the sentence shows a number the result does not hold', async () => {
    const text = 'Over the 641 rows where weather = rain, the average temp_max is 14.2.';
    expect(await run(() => Promise.resolve({ ...answer, text }))).toEqual({
      got: undefined,
      misses: [{ kind: 'unfounded', text }],
    });
  });

  it('gives none, without throwing, when the query fails', async () => {
    const error = new Error('statement timeout');
    expect(await run(() => Promise.reject(error))).toEqual({
      got: undefined,
      misses: [{ kind: 'failed', error }],
    });
  });

  it('gives none and reports nothing when the analysis was cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await run(() => Promise.reject(new Error('aborted')), controller.signal)).toEqual({
      got: undefined,
      misses: [],
    });
  });
});
