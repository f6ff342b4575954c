import { answerChart, answerSentence } from '@app/questions';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { TestApp } from './test-app';

/** The answer a stored question fixture holds: a count of rows per `b` value. */
const QUERY = { measures: [{ agg: 'count' as const }], groupBy: [{ column: 'b' }], limit: 1000 };
const RESULT = {
  columns: [
    { name: 'b', type: 'string' as const },
    { name: 'count', type: 'integer' as const },
  ],
  rows: [['x', 1]],
  truncated: false,
};

/**
 * Stores an answered question with SQL, as the service would have (its answer and chart made
 * by the real composer), for tests of listing, charts and tenancy that need no planner.
 */
export async function storedQuestion(
  app: TestApp,
  organizationId: string,
  datasetId: string,
  question = 'How many rows per b?',
): Promise<string> {
  const id = randomUUID();
  const client = new Client({ connectionString: app.database.url });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO questions (id, organization_id, dataset_id, question, answer, query, result,
         chart, readings, model_provider, model_name, tool_call_id, usage, duration_ms, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'builtin', 'test', NULL,
         '{"requests":0,"inputTokens":0,"outputTokens":0,"totalTokens":0}', 3, 'test')`,
      [
        id,
        organizationId,
        datasetId,
        question,
        answerSentence(QUERY, RESULT),
        JSON.stringify(QUERY),
        JSON.stringify(RESULT),
        JSON.stringify(answerChart(QUERY, RESULT)),
        JSON.stringify(['"per b" → group by b']),
      ],
    );
  } finally {
    await client.end();
  }
  return id;
}

/** Questions stored for an organization, to prove a refused request stored nothing. */
export async function questionCount(app: TestApp, organizationId: string): Promise<number> {
  const client = new Client({ connectionString: app.database.url });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM questions WHERE organization_id = $1',
      [organizationId],
    );
    return result.rows[0]?.n ?? -1;
  } finally {
    await client.end();
  }
}
