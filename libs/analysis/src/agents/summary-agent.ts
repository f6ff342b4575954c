import { Agent, type RunContext } from '@openai/agents';
import { z } from 'zod';
import type { AnalysisAnswer } from '../planning/question-answer';
import { answerSentence, type Asked, focusFirst } from './summary-answer';
import { segmentInsights } from './segments-summary';
import { Insight, type SpecialistResults } from './summary-inputs';
import { seriesInsights } from './series-summary';
import { failingTool } from '../tools/failing-tool';

/** The summary agent reads the specialists' results from the run context. */
export interface SummaryContext {
  results: SpecialistResults;
  /** The question and what it named, when there was one. */
  asked?: Asked;
  /** The question answered by a query, when it was (its text opens the narrative). */
  answer?: Pick<AnalysisAnswer, 'text'>;
}

export const SummaryOutput = z.object({
  narrative: z.string(),
  insights: z.array(Insight),
  recommendations: z.array(z.string()),
});
export type SummaryOutput = z.infer<typeof SummaryOutput>;

const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

/**
 * Insights, recommendations and a narrative from the specialists' results, by rule:
 * every number in the text is one of theirs (rounded to 3 significant digits), so the
 * output guardrail can find it in the tool outputs. Asked a question, the narrative
 * opens with the answer its query gave (`answer`, whose numbers are its result's), then
 * the sentence the specialists' results give ({@link answerSentence}); the insights about
 * what it names come first.
 */
export function composeSummary(
  results: SpecialistResults,
  asked?: Asked,
  answer?: Pick<AnalysisAnswer, 'text'>,
): SummaryOutput {
  const insights: Insight[] = [];
  const recommendations: string[] = [];
  for (const issue of results.profile?.issues ?? []) {
    insights.push({
      severity: issue.severity,
      source: 'profile',
      title: `${issue.column}: ${issue.kind.replace(/_/g, ' ')}`,
      detail: issue.detail,
    });
  }
  if (
    (results.profile?.issues ?? []).some(
      (issue) => issue.kind === 'high_null_share' || issue.kind === 'all_null',
    )
  ) {
    recommendations.push(
      'Fill or drop the columns with many missing values before aggregating them.',
    );
  }
  if ((results.profile?.issues ?? []).some((issue) => issue.kind === 'suspected_id')) {
    recommendations.push('Treat identifier columns as keys, not as measures: do not average them.');
  }
  const series = seriesInsights(results);
  insights.push(...series.insights);
  recommendations.push(...series.recommendations);
  const trends = (results.trends?.trends ?? []).filter((trend) => trend.direction !== 'none');
  const anomalies = results.anomalies?.anomalies ?? [];
  const seasons = results.trends?.seasonality ?? [];
  const changes = results.trends?.changePoints ?? [];
  for (const document of results.text?.documents ?? []) {
    const negative = document.passages.filter((p) => p.label === 'negative').length;
    insights.push({
      severity: negative > document.passages.length / 2 ? 'warning' : 'info',
      source: 'text',
      title: `${document.source}: ${document.label} overall`,
      detail: `${negative} of ${document.passages.length} passages are negative; sentiment ${round(document.sentiment)}.`,
    });
  }
  insights.push(...segmentInsights(results));
  for (const failure of results.failed) {
    insights.push({
      severity: 'warning',
      source: 'analysis',
      title: `${failure.agent} did not finish`,
      detail: failure.reason,
    });
  }
  const parts = [
    results.profile === undefined
      ? undefined
      : `${results.profile.rowCount ?? 0} rows, ${(results.profile.issues ?? []).length} data-quality issues`,
    results.trends === undefined
      ? undefined
      : `${trends.length} significant trends, ${seasons.length} seasons, ${changes.length} change points`,
    results.anomalies === undefined ? undefined : `${anomalies.length} anomalies`,
    results.text === undefined ? undefined : `${(results.text.documents ?? []).length} texts read`,
    results.segments === undefined
      ? undefined
      : `${results.segments.segments.length} segment findings`,
  ].filter((part): part is string => part !== undefined);
  const ranked = focusFirst(insights, asked);
  const lead = ranked.find((insight) => insight.severity === 'high') ?? ranked[0];
  const answers = [answer?.text, answerSentence(results, asked)].filter(
    (sentence): sentence is string => sentence !== undefined,
  );
  const narrative =
    answers.map((sentence) => `${sentence} `).join('') +
    (parts.length === 0 ? 'Nothing could be analysed.' : `Analysed: ${parts.join('; ')}.`) +
    (lead === undefined ? '' : ` Most notable: ${lead.title}.`) +
    (results.failed.length === 0 ? '' : ` ${results.failed.length} specialist(s) failed.`);
  return { narrative, insights: ranked, recommendations };
}

/** The `summary` agent: runs after the specialists and composes the result from theirs. */
export function summaryAgent(model: string): Agent<SummaryContext, typeof SummaryOutput> {
  return new Agent<SummaryContext, typeof SummaryOutput>({
    name: 'summary',
    model,
    instructions:
      'You write the summary of an analysis: call compose_summary and return its narrative, ' +
      'insights and recommendations. Use no number that is not in a tool output.',
    tools: [
      failingTool({
        name: 'compose_summary',
        description: "Insights, recommendations and a narrative from the specialists' results",
        parameters: z.object({}),
        execute: (_args, runContext?: RunContext<SummaryContext>) => {
          if (runContext === undefined)
            throw new Error('compose_summary needs the analysis context');
          // The query's answer reaches the model in this output: its numbers are a tool's.
          const { results, asked, answer } = runContext.context;
          return JSON.stringify(composeSummary(results, asked, answer));
        },
      }),
    ],
    outputType: SummaryOutput,
  });
}
