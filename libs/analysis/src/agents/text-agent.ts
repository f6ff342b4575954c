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
              const rows = await context.query<{ value: string }>(
                `SELECT ${quoteIdentifier(stored.column)} AS value FROM ${datasetTable(context.dataset)}
                 WHERE ${quoteIdentifier(stored.column)} <> '' ORDER BY ctid LIMIT $1`,
                [TEXT_SAMPLE_VALUES],
              );
              const document = analyzeText(
                column,
                rows.map((row) => row.value),
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
