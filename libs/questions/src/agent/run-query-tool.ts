import { ModelBehaviorError, tool } from '@openai/agents';
import { InvalidQueryError } from '../query/dataset-queries';
import {
  QUERY_LIMITS,
  type QueryResult,
  type StructuredQuery,
  structuredQuerySchema,
} from '../query/structured-query';

/**
 * Failed `run_query` calls the model may correct: one. A model that misses twice is not
 * reading the dataset, and a third guess would only cost another round trip.
 */
export const QUERY_REFINEMENTS = 1;

/** A `run_query` call that ran: its id, the query (row cap applied) and what it returned. */
export interface AnsweredQuery {
  toolCallId: string;
  query: StructuredQuery;
  result: QueryResult;
}

/** What one asking run's `run_query` did, read by the service once the run ends. */
export class QueryLedger {
  /** The last call that ran: the answer speaks of it. */
  answered: AnsweredQuery | undefined;
  failures = 0;
  /** Set when the refinements are spent: why the question is refused. */
  refusal: string | undefined;
}

/** Thrown out of the run when the refinements are spent (the ledger says why). */
export class QueryRefinementsSpentError extends Error {
  override readonly name = 'QueryRefinementsSpentError';
}

/**
 * The `ask` agent's one tool: its parameters are the structured query's own zod schema, and
 * it runs the query by `run` (the compiler and the read-only repository). A query that does
 * not fit the dataset, or arguments that do not fit the schema, come back to the model as
 * the tool's output so it can correct them — once; the next failure ends the run.
 */
export function runQueryTool(
  run: (query: StructuredQuery) => Promise<QueryResult>,
  ledger: QueryLedger,
) {
  const failed = (reason: string): string => {
    ledger.failures += 1;
    if (ledger.failures > QUERY_REFINEMENTS) {
      ledger.refusal = `the model's query did not fit the dataset after ${QUERY_REFINEMENTS} correction: ${reason}`;
      throw new QueryRefinementsSpentError(ledger.refusal);
    }
    return `Error: ${reason}. Correct the query and call run_query again.`;
  };
  return tool({
    name: 'run_query',
    description:
      "Runs a structured query on the dataset (read-only) and returns its result as JSON: columns and rows. Name columns exactly as the dataset's columns are named.",
    parameters: structuredQuerySchema,
    execute: async (input, _context, details) => {
      // The row cap holds whatever the model asked for: a result is stored whole.
      const query: StructuredQuery = {
        ...input,
        limit: Math.min(input.limit ?? QUERY_LIMITS.rows, QUERY_LIMITS.rows),
      };
      try {
        const result = await run(query);
        ledger.answered = { toolCallId: details?.toolCall?.callId ?? '', query, result };
        return JSON.stringify({ columns: result.columns, rows: result.rows });
      } catch (error) {
        if (error instanceof InvalidQueryError) return failed(error.message);
        throw error;
      }
    },
    // Arguments the schema refuses reach here (the SDK parses before `execute`); anything
    // else — a timeout, a database error, our own give-up — ends the run as it is.
    // The SDK redacts tool data from this error (and withholds the call), so the model is
    // told only that its arguments missed the schema it was given.
    errorFunction: (_context, error) => {
      if (error instanceof ModelBehaviorError) {
        return failed('the arguments do not fit the run_query parameters schema');
      }
      throw error;
    },
  });
}
