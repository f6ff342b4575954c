import { ToolCallError } from '@openai/agents';
import { QueryFailedError } from 'typeorm';
import { ModelCallError } from '@app/models';
import { AnalysisFailureError, describeFailure, failureDetail } from './analysis-errors';

const driverError = (code: string, message: string) => Object.assign(new Error(message), { code });
const failedQuery = (code: string, message: string) =>
  new QueryFailedError('SELECT secret FROM rows.d_1', [], driverError(code, message));

describe('describeFailure', () => {
  it.each([
    ['42P01', 'relation "rows.d_1" does not exist', 'dataset-unavailable'],
    ['42703', 'column "c_2" does not exist', 'dataset-unavailable'],
    ['57014', 'canceling statement due to statement timeout', 'timeout'],
    ['XX000', 'could not read block 7 in file "base/1/2"', 'internal'],
  ])('gives %s a code and a sentence of its own', (code, raw, expected) => {
    // As a tool's failure reaches the orchestrator: wrapped by the SDK.
    const wrapped = new ToolCallError('tool failed', failedQuery(code, raw));
    const failure = describeFailure(wrapped);
    expect(failure.code).toBe(expected);
    expect(failure.message).not.toContain(raw);
    expect(failure.message).not.toContain('rows.d_1');
    expect(failureDetail(wrapped)).toContain(raw);
  });

  it('keeps the sentences of our own errors', () => {
    expect(describeFailure(new AnalysisFailureError('dataset-unavailable', 'gone'))).toEqual({
      code: 'dataset-unavailable',
      message: 'gone',
    });
    const model = new ModelCallError('openai-compatible m', new Error('Connection error.'));
    expect(describeFailure(new ToolCallError('x', model))).toEqual({
      code: 'model-error',
      message: 'model call to openai-compatible m failed: Connection error.',
    });
  });

  it('says nothing of an unknown error but that it is internal', () => {
    expect(
      describeFailure(new TypeError("Cannot read properties of undefined (reading 'x')")),
    ).toEqual({
      code: 'internal',
      message: 'an internal error stopped it',
    });
    expect(describeFailure('boom').code).toBe('internal');
  });
});
