/** Helpers shared by the specs of parseMetricInputs. */
import { type FieldError, ProblemException, RequestValidationException } from '@app/common';
import { type MetricInput, parseMetricInputs } from '../input/metric-input';

export const now = new Date('2026-03-01T12:00:00Z');
export const datasetId = '0b7e4c1a-3f2d-4e5b-9a6c-7d8e9f0a1b2c';

/** The one metric `item` parses to when it is the only item of a write. */
export function parsedOne(item: Record<string, unknown>): MetricInput {
  const [metric, ...rest] = parseMetricInputs([item], now);
  if (metric === undefined || rest.length > 0) throw new Error('expected exactly one metric');
  return metric;
}

/** The exception `parseMetricInputs` throws for `items`; fails the test if it accepts them. */
export function rejectionOf(items: unknown, path?: string): ProblemException {
  try {
    parseMetricInputs(items, now, path);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('expected the metrics to be refused');
}

/** The field errors of a write whose only item is `item`. */
export function fieldErrorsOf(item: unknown): FieldError[] {
  // Plain checks, not expect(): this file is compiled with the app, without Jest's types.
  const error = rejectionOf([item]);
  if (
    !(error instanceof RequestValidationException) ||
    error.getStatus() !== 400 ||
    error.slug !== 'validation-error'
  ) {
    throw new Error(`expected a 400 validation-error, got ${error.getStatus()} ${error.slug}`);
  }
  return error.fieldErrors ?? [];
}

/** The fields named by the errors of a write whose only item is `item`. */
export function badFieldsOf(item: unknown): string[] {
  return fieldErrorsOf(item).map((error) => error.field);
}
