import { type InjectionFinding, where } from '../guardrails/input-screening';
import type { AnalysisResultDto } from '../dtos/analysis-result.dto';
import type { AnalysisOutcome } from './orchestrator';
import type { Season, Trend } from '../agents/trends-agent';

/**
 * The `result` of an analysis in the shape docs/api.md gives (plus what the specialists
 * returned in full): every number in it is a tool's output. Typed as the DTO that
 * documents it, so a field added here does not compile until it is documented.
 */
export function toAnalysisResult(outcome: AnalysisOutcome): AnalysisResultDto {
  const { results, summary, injections } = outcome;
  const documents = results.text?.documents ?? [];
  const firstText = documents[0];
  return {
    summary: summary?.narrative ?? null,
    // Composed here, not by a model: no model read the text they describe.
    insights: [...injections.map(injectionInsight), ...(summary?.insights ?? [])],
    recommendations: summary?.recommendations ?? [],
    quality: results.profile?.issues ?? [],
    anomalies: results.anomalies?.anomalies ?? [],
    anomalyColumns: results.anomalies?.anomalyColumns ?? [],
    trends: (results.trends?.trends ?? []).map((trend) => ({
      ...trend,
      slope: trend.slopePerDay,
      description: describeTrend(trend, results.trends?.seasonality ?? []),
    })),
    segments: results.segments?.segments ?? [],
    seasonality: results.trends?.seasonality ?? [],
    changePoints: results.trends?.changePoints ?? [],
    sentiment:
      firstText === undefined ? null : { score: firstText.sentiment, label: firstText.label },
    texts: documents,
    entities: documents.flatMap((document) => document.entities),
    metrics: [],
    // What the question named (planning/question-focus.ts); null without a question.
    focus: outcome.focus ?? null,
    // The question answered by its query (planning/question-answer.ts); null when it was not.
    answer:
      outcome.answer === undefined
        ? null
        : {
            text: outcome.answer.text,
            query: outcome.answer.query,
            result: outcome.answer.result,
          },
    guardrails: { injections },
  };
}

function injectionInsight(finding: InjectionFinding) {
  return {
    severity: 'high',
    source: 'analysis',
    title: `Possible prompt injection in ${where(finding)}`,
    detail:
      `It reads like an instruction to a language model (${finding.pattern}): "${finding.excerpt}". ` +
      'It was reported, not obeyed: the agents that would have read it did not run on it.',
  };
}

/**
 * "increasing over date once the yearly season is taken out (seasonal Mann-Kendall p =
 * 0.0012)": the direction, the season removed (strongest first), the test and its p.
 */
export function describeTrend(trend: Trend, seasonality: readonly Season[]): string {
  const seasons = seasonality.filter((season) => season.column === trend.column);
  const removed =
    trend.deseasonalised && seasons.length > 0
      ? ` once the ${seasons.map((season) => season.name).join(' and ')} season${seasons.length > 1 ? 's are' : ' is'} taken out`
      : '';
  const test = trend.method === 'seasonal-mann-kendall' ? 'seasonal Mann-Kendall' : 'Mann-Kendall';
  const what = trend.direction === 'none' ? 'no significant trend' : trend.direction;
  return `${what} over ${trend.timeColumn}${removed} (${test} p = ${trend.pValue.toPrecision(3)})`;
}
