import { datasetTable, quoteIdentifier } from '@app/datasets';
import { Agent, type RunContext, tool } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisContext } from '../analysis-context';
import { analyzeText } from '../text/text-analysis';

/** Values of a text column read for its analysis (the first ones, in file order). */
export const TEXT_SAMPLE_VALUES = 2000;

const Passage = z.object({
  index: z.number(),
  text: z.string(),
  sentiment: z.number(),
  label: z.enum(['positive', 'negative', 'neutral']),
});

export const TextDocumentSchema = z.object({
  /** `text` for free text, else the column's name. */
  source: z.string(),
  sentiment: z.number(),
  label: z.enum(['positive', 'negative', 'neutral']),
  passages: z.array(Passage),
  entities: z.array(z.object({ type: z.string(), value: z.string(), count: z.number() })),
  keywords: z.array(z.object({ word: z.string(), count: z.number() })),
  /** The tool call that analysed it (provenance of the metrics written from it). */
  toolCallId: z.string().nullable(),
});

export const TextOutput = z.object({ documents: z.array(TextDocumentSchema) });
export type TextOutput = z.infer<typeof TextOutput>;

/** Non-empty cells of a text column, with where each is stored (`ctid`). */
type TextCells = Array<{ at: string; value: string }>;

/** Pages read by the first window of {@link firstTextCells}; each next window is twice as large. */
const FIRST_WINDOW_PAGES = 32;

/**
 * The first `limit` non-empty cells of a text column (its stored name) in file order, with
 * where each is stored (`at`, its `ctid`). A dataset table is written once by COPY, so file
 * order is `ctid` order; rather than sort the whole table by `ctid` for a few thousand
 * cells, windows of pages are read in order by TID range scans, each twice the size of the
 * last, until enough cells are found or the table ends.
 */
export async function firstTextCells(
  context: AnalysisContext,
  column: string,
  limit: number,
): Promise<TextCells> {
  const table = datasetTable(context.dataset);
  const stored = quoteIdentifier(column);
  const [size] = await context.query<{ pages: string }>(
    `SELECT pg_relation_size($1::regclass) / current_setting('block_size')::int AS pages`,
    [table],
  );
  const pages = Number(size?.pages ?? 0);
  const cells: Array<{ at: string; value: string }> = [];
  for (
    let start = 0, window = FIRST_WINDOW_PAGES;
    start < pages && cells.length < limit;
    start += window, window *= 2
  ) {
    cells.push(
      ...(await context.query<{ at: string; value: string }>(
        `SELECT ctid::text AS at, ${stored} AS value FROM ${table}
         WHERE ctid >= $1::tid AND ctid < $2::tid AND ${stored} <> '' ORDER BY ctid LIMIT $3`,
        [`(${start},0)`, `(${Math.min(start + window, pages)},0)`, limit - cells.length],
      )),
    );
  }
  return cells;
}

const samples = new WeakMap<
  AnalysisContext,
  Map<string, Promise<Array<{ at: string; value: string }>>>
>();

/**
 * The first {@link TEXT_SAMPLE_VALUES} cells of a text column, read once per analysis: the
 * input guardrail screens them before the text tool analyses them (both get the same cells,
 * and the table is read once). Keyed by the analysis' context, so nothing outlives it.
 */
export function textSample(context: AnalysisContext, column: string): Promise<TextCells> {
  const byColumn = samples.get(context) ?? new Map<string, Promise<TextCells>>();
  samples.set(context, byColumn);
  let sample = byColumn.get(column);
  if (sample === undefined) {
    sample = firstTextCells(context, column, TEXT_SAMPLE_VALUES);
    byColumn.set(column, sample);
  }
  return sample;
}

/**
 * The `text` specialist: sentiment, entities and keywords of free text (`{text}` in the
 * brief) and of each text column of a dataset (one tool call per column, its enum).
 */
export function textAgent(
  model: string,
  dataset: AnalysisContext['dataset'] | undefined,
): Agent<AnalysisContext, typeof TextOutput> {
  const textColumns = (dataset?.columns ?? [])
    .filter((c) => c.type === 'string')
    .map((c) => c.name);
  const tools = [
    tool({
      // A failing tool (a query error, a timeout) fails the agent: the model must not improvise past it.
      errorFunction: null,
      name: 'analyze_text',
      description: 'Sentiment per sentence and overall, entities and keywords of a text',
      parameters: z.object({ text: z.string() }),
      execute: ({ text }, _runContext, details?) =>
        JSON.stringify({
          documents: [
            { ...analyzeText('text', text), toolCallId: details?.toolCall?.callId ?? null },
          ],
        }),
    }),
    ...(textColumns.length === 0
      ? []
      : [
          tool({
            // A failing tool (a query error, a timeout) fails the agent: the model must not improvise past it.
            errorFunction: null,
            name: 'analyze_column',
            description: `Sentiment per value and overall, entities and keywords of a text column (its first ${TEXT_SAMPLE_VALUES} values)`,
            parameters: z.object({ column: z.enum(textColumns as [string, ...string[]]) }),
            execute: async ({ column }, runContext?: RunContext<AnalysisContext>, details?) => {
              if (runContext === undefined)
                throw new Error('analyze_column needs the analysis context');
              const context = runContext.context;
              const stored = context.dataset.columns.find((c) => c.name === column);
              if (stored === undefined) throw new Error(`no column ${column}`);
              const document = analyzeText(
                column,
                (await textSample(context, stored.column)).map((cell) => cell.value),
              );
              return JSON.stringify({
                documents: [{ ...document, toolCallId: details?.toolCall?.callId ?? null }],
              });
            },
          }),
        ]),
  ];
  return new Agent<AnalysisContext, typeof TextOutput>({
    name: 'text',
    model,
    instructions:
      'You read text: analyse the free text and every text column with the tools, and report ' +
      'their sentiment, entities and keywords as the tools return them.',
    tools,
    outputType: TextOutput,
  });
}
