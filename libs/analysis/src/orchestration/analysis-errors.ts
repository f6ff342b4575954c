import {
  InputGuardrailTripwireTriggered,
  MaxTurnsExceededError,
  ModelBehaviorError,
  ModelRefusalError,
  OutputGuardrailTripwireTriggered,
} from '@openai/agents';
import { ModelCallError } from '@app/models';
import { guardrailReason } from '../guardrails/guardrails';

/**
 * Why an analysis or an agent failed: a closed set, documented in docs/analyses.md. The
 * `error` beside it is a sentence of ours; a driver's or database's own message never
 * leaves the server (it is logged with the analysis id).
 */
export const ANALYSIS_ERROR_CODES = [
  'timeout',
  'cancelled',
  'dataset-unavailable',
  'input-rejected',
  'model-error',
  'model-invented-number',
  'agents-failed',
  'worker-lost',
  'internal',
] as const;
export type AnalysisErrorCode = (typeof ANALYSIS_ERROR_CODES)[number];

export interface AnalysisFailure {
  code: AnalysisErrorCode;
  /** A sentence for the user. */
  message: string;
}

/** Thrown by our own code with a sentence fit for the user as it is. */
export class AnalysisFailureError extends Error {
  constructor(
    readonly code: AnalysisErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** SQLSTATEs of a dataset table (or column) that is gone: dropped or replaced meanwhile. */
const GONE = new Set(['42P01', '42703', '3F000']);

/**
 * The code and sentence for `caught`, an error that stopped an agent or an analysis. Our
 * own sentences (guardrails, time limits, model calls naming the model) pass through; a
 * database error becomes a sentence by its SQLSTATE; anything else is `internal`.
 */
export function describeFailure(caught: unknown): AnalysisFailure {
  if (caught instanceof AnalysisFailureError) return { code: caught.code, message: caught.message };
  if (caught instanceof InputGuardrailTripwireTriggered) {
    const reason = guardrailReason(caught.result.output.outputInfo);
    return { code: 'input-rejected', message: `input guardrail: ${reason}` };
  }
  if (caught instanceof OutputGuardrailTripwireTriggered) {
    const reason = guardrailReason(caught.result.output.outputInfo);
    return { code: 'model-invented-number', message: `output guardrail: ${reason}` };
  }
  for (const candidate of causes(caught)) {
    if (candidate instanceof ModelCallError) {
      return { code: 'model-error', message: candidate.message };
    }
    if (candidate instanceof ModelRefusalError) {
      return { code: 'model-error', message: 'the model refused to answer' };
    }
    if (candidate instanceof MaxTurnsExceededError) {
      return { code: 'model-error', message: 'the model did not finish within its turns' };
    }
    if (candidate instanceof ModelBehaviorError) {
      return { code: 'model-error', message: "the model's answer could not be used" };
    }
    const state = (candidate as { code?: unknown }).code;
    if (typeof state !== 'string' || !/^[0-9A-Z]{5}$/.test(state)) continue;
    if (GONE.has(state)) {
      return {
        code: 'dataset-unavailable',
        message: "the dataset's data could not be read: it was deleted or changed meanwhile",
      };
    }
    if (state === '57014') {
      return { code: 'timeout', message: 'a query on the dataset ran past its time limit' };
    }
    return { code: 'internal', message: 'a database error stopped it' };
  }
  return { code: 'internal', message: 'an internal error stopped it' };
}

/** What `caught` and what it wraps say, for the server's log (never for a response). */
export function failureDetail(caught: unknown): string {
  return causes(caught)
    .map((cause) =>
      cause instanceof Error ? `${cause.name}: ${cause.message}` : JSON.stringify(cause),
    )
    .join(' <- ');
}

/** `caught` and what it wraps (the SDK's `error`, `cause`, TypeORM's `driverError`). */
function causes(caught: unknown): object[] {
  const found: object[] = [];
  const pending: unknown[] = [caught];
  while (pending.length > 0 && found.length < 8) {
    const next = pending.shift();
    if (typeof next !== 'object' || next === null || found.includes(next)) {
      if (next === caught && next !== undefined) found.push({ thrown: next });
      continue;
    }
    found.push(next);
    const wrapped = next as { error?: unknown; cause?: unknown; driverError?: unknown };
    pending.push(wrapped.error, wrapped.cause, wrapped.driverError);
  }
  return found;
}
