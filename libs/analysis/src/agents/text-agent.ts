import { Agent, type RunContext } from '@openai/agents';
import { z } from 'zod';
import type { PassageClassifier } from '@app/models';
import type { AnalysisContext } from '../orchestration/analysis-context';
import { proseColumns } from '../text/prose-columns';
import { analyseText } from '../text/text-analysis';
import { failingTool } from '../tools/failing-tool';

/** Values of a text column read for its analysis (the first ones, in file order). */
export const TEXT_SAMPLE_VALUES = 2000;
/** Characters read of one value (cell) of a text column; the rest of a longer one is not read. */
export const TEXT_CELL_CHARACTERS = 4000;
/** Characters read of one text column in all: values past it are not read. */
export const TEXT_COLUMN_CHARACTERS = 500_000;
/** Characters read of all text columns of an analysis, shared equally between them. */
export const TEXT_TOTAL_CHARACTERS = 2_000_000;
/** Characters of free text `analyze_text` reads (an API text is at most 100,000). */
export const TEXT_FREE_CHARACTERS = 120_000;

const Passage = z.object({
  index: z.number(),
  text: z.string(),
  sentiment: z.number(),
  label: z.enum(['positive', 'negative', 'neutral']),
  /** Who labelled it: the configured language model, or the builtin scorer. */
  method: z.enum(['model', 'builtin']),
});

export const TextDocumentSchema = z.object({
  /** `text` for free text, else the column's name. */
  source: z.string(),
  sentiment: z.number(),
  label: z.enum(['positive', 'negative', 'neutral']),
  counts: z.object({ positive: z.number(), negative: z.number(), neutral: z.number() }),
  passages: z.array(Passage),
  entities: z.array(z.object({ type: z.string(), value: z.string(), count: z.number() })),
  keywords: z.array(z.object({ word: z.string(), count: z.number() })),
  /** Multi-word phrases of content words (RAKE), most frequent first. */
  keyphrases: z.array(z.object({ phrase: z.string(), count: z.number(), score: z.number() })),
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
 *
 * Bounded in bytes too: each cell is cut to `cellCharacters` in PostgreSQL (`left()` reads
 * a slice of a long value), and cells stop once `budget` characters are read (the last one
 * cut to fit), so a table of 1 MiB cells costs no more than one of short ones.
 */
export async function firstTextCells(
  context: AnalysisContext,
  column: string,
  limit: number,
  { cellCharacters = TEXT_CELL_CHARACTERS, budget = TEXT_COLUMN_CHARACTERS } = {},
): Promise<TextCells> {
  const { organizationId, dataset, scans } = context;
  const pages = await scans.tablePages(organizationId, dataset);
  const cells: Array<{ at: string; value: string }> = [];
  let left = budget;
  for (
    let start = 0, window = FIRST_WINDOW_PAGES;
    start < pages && cells.length < limit && left > 0;
    start += window, window *= 2
  ) {
    // Only the cells that start within the budget leave PostgreSQL (a running sum of lengths).
    const found = await scans.textCells(
      organizationId,
      dataset,
      column,
      { fromPage: start, toPage: Math.min(start + window, pages) },
      { limit: limit - cells.length, cellCharacters, budget: left },
    );
    for (const cell of found) {
      const value = cell.value.slice(0, Math.min(cellCharacters, left));
      cells.push({ at: cell.at, value });
      left -= value.length;
    }
  }
  return cells;
}

/**
 * The characters each prose column of `dataset` may read: {@link TEXT_TOTAL_CHARACTERS}
 * shared equally, at most {@link TEXT_COLUMN_CHARACTERS} a column.
 */
export function textColumnBudget(dataset: AnalysisContext['dataset']): number {
  const columns = proseColumns(dataset).length;
  return Math.min(TEXT_COLUMN_CHARACTERS, Math.floor(TEXT_TOTAL_CHARACTERS / Math.max(1, columns)));
}

const samples = new WeakMap<
  AnalysisContext,
  Map<string, Promise<Array<{ at: string; value: string }>>>
>();

/**
 * The first {@link TEXT_SAMPLE_VALUES} cells of a text column (within the caps on characters
 * above), read once per analysis: the
 * input guardrail screens them before the text tool analyses them (both get the same cells,
 * and the table is read once). Keyed by the analysis' context, so nothing outlives it.
 */
export function textSample(context: AnalysisContext, column: string): Promise<TextCells> {
  const byColumn = samples.get(context) ?? new Map<string, Promise<TextCells>>();
  samples.set(context, byColumn);
  let sample = byColumn.get(column);
  if (sample === undefined) {
    sample = firstTextCells(context, column, TEXT_SAMPLE_VALUES, {
      budget: textColumnBudget(context.dataset),
    });
    byColumn.set(column, sample);
  }
  return sample;
}

/**
 * The `text` specialist: sentiment, entities and keywords of free text (`{text}` in the
 * brief) and of each prose column of a dataset (one tool call per column, its enum;
 * categorical codes, names and ids are not prose: {@link proseColumns}).
 */
export function textAgent(
  model: string,
  dataset: AnalysisContext['dataset'] | undefined,
  classifier?: PassageClassifier,
): Agent<AnalysisContext, typeof TextOutput> {
  const textColumns = dataset === undefined ? [] : proseColumns(dataset);
  const tools = [
    failingTool({
      name: 'analyze_text',
      description: 'Sentiment per sentence and overall, entities and keywords of a text',
      parameters: z.object({ text: z.string() }),
      execute: async ({ text }, _runContext, details?) =>
        JSON.stringify({
          documents: [
            {
              ...(await analyseText('text', text.slice(0, TEXT_FREE_CHARACTERS), { classifier })),
              toolCallId: details?.toolCall?.callId ?? null,
            },
          ],
        }),
    }),
    ...(textColumns.length === 0
      ? []
      : [
          failingTool({
            name: 'analyze_column',
            description: `Sentiment per value and overall, entities and keywords of a text column (its first ${TEXT_SAMPLE_VALUES} values, within a bound on characters)`,
            parameters: z.object({ column: z.enum(textColumns as [string, ...string[]]) }),
            execute: async ({ column }, runContext?: RunContext<AnalysisContext>, details?) => {
              if (runContext === undefined)
                throw new Error('analyze_column needs the analysis context');
              const context = runContext.context;
              const stored = context.dataset.columns.find((c) => c.name === column);
              if (stored === undefined) throw new Error(`no column ${column}`);
              const document = await analyseText(
                column,
                (await textSample(context, stored.column)).map((cell) => cell.value),
                { classifier },
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
      'their sentiment, entities, keywords and keyphrases as the tools return them.',
    tools,
    outputType: TextOutput,
  });
}
