import { numbersAreFromResult, type QueryResult, type StructuredQuery } from '@app/questions';

/**
 * The analysis's question answered as "ask a dataset" answers it: the sentence, the
 * structured query it was read as, and what that query returned on the analysis's dataset.
 */
export interface AnalysisAnswer {
  text: string;
  query: StructuredQuery;
  result: QueryResult;
}

/**
 * Plans the question with the questions lib's planner and runs its query (read-only, the
 * organization's, on the analysis's dataset only); undefined when the planner refuses it.
 * Aborting `signal` cancels its SQL.
 */
export type QuestionAnswerer = (
  question: string,
  signal: AbortSignal,
) => Promise<AnalysisAnswer | undefined>;

/** Why there is no answer, for the log: the analysis goes on without one either way. */
export type AnswerMiss =
  { kind: 'refused' } | { kind: 'unfounded'; text: string } | { kind: 'failed'; error: unknown };

/**
 * The answer step of an analysis: runs beside the specialists, and an answer it cannot give
 * (refused, a query that failed or ran out of time, a sentence with a number its result
 * does not hold) is no answer, never a failed analysis. Cancelling the analysis stops it.
 */
export async function answerStep(
  answerer: QuestionAnswerer,
  question: string,
  signal: AbortSignal,
  onMiss: (miss: AnswerMiss) => void = () => undefined,
): Promise<AnalysisAnswer | undefined> {
  try {
    const answer = await answerer(question, signal);
    // The summary opens with it, and the summary shows no number a tool did not return.
    if (answer === undefined) {
      onMiss({ kind: 'refused' });
      return undefined;
    }
    if (!numbersAreFromResult(answer.text, answer.result)) {
      onMiss({ kind: 'unfounded', text: answer.text });
      return undefined;
    }
    return answer;
  } catch (error) {
    if (signal.aborted) return undefined;
    onMiss({ kind: 'failed', error });
    return undefined;
  }
}
