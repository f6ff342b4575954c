import type { QuestionFocus } from '../planning/question-focus';
import type { Anomaly } from './anomalies-agent';
import { segmentsClause } from './segments-summary';
import type { Insight, SpecialistResults } from './summary-inputs';
import { cycleWords, seasonRange } from './season-words';
import type { Season, Trend } from './trends-agent';

/** Shown numbers: 3 significant digits, so the guardrail finds them in the tool outputs. */
const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

/** `a`, `a and b`, `a, b and c` (or `or`). */
function listed(items: readonly string[], conjunction = 'and'): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** What an analysis was asked, as the summary reads it. */
export interface Asked {
  question: string;
  focus: QuestionFocus;
  /** The dataset's numeric columns: those a numeric specialist looked at. */
  numericColumns: readonly string[];
}

/**
 * The sentence that answers a question, from the specialists' results: for the columns
 * it names (all the specialist looked at when it names none), one clause per specialist
 * it asks about (all that ran when it names none), in the order it asks. Undefined when
 * the question named nothing the results hold. Every number is one of the results',
 * rounded as the rest of the summary rounds them.
 */
export function answerSentence(
  results: SpecialistResults,
  asked: Asked | undefined,
): string | undefined {
  const focus = asked?.focus;
  if (asked === undefined || focus === undefined) return undefined;
  if (focus.columns.length === 0 && focus.specialists.length === 0) return undefined;
  const specialists = focus.specialists.length > 0 ? focus.specialists : ANSWERED;
  const numeric = focus.columns.filter((column) => asked.numericColumns.includes(column));
  const clauses = specialists.flatMap((specialist) => {
    const clause = clauseOf(specialist, results, focus.columns, numeric);
    return clause === undefined ? [] : [clause];
  });
  if (clauses.length === 0) return undefined;
  const sentence = `${clauses.join('; ')}.`;
  // A column's name is left as it is spelled, even first in the sentence.
  const named = [...focus.columns, ...asked.numericColumns].some((c) => sentence.startsWith(c));
  return named ? sentence : sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** The specialists an answer speaks for, in the order it speaks when none is asked for. */
const ANSWERED = ['trends', 'anomalies', 'text', 'profile'] as const;

function clauseOf(
  specialist: string,
  results: SpecialistResults,
  columns: readonly string[],
  numeric: readonly string[],
): string | undefined {
  const about = <T extends { column: string }>(items: readonly T[]) =>
    columns.length === 0 ? items : items.filter((item) => columns.includes(item.column));
  switch (specialist) {
    case 'trends':
      return results.trends === undefined
        ? undefined
        : trendsClause(about(results.trends.trends), results.trends.seasonality);
    case 'anomalies':
      return results.anomalies === undefined
        ? undefined
        : anomaliesClause(
            about(results.anomalies.anomalies),
            columns.length > 0 ? numeric : undefined,
          );
    case 'text':
      return textClause(results, columns);
    case 'profile':
      return profileClause(results, columns);
    case 'segments':
      return segmentsClause(results, columns);
    default:
      return undefined;
  }
}

/**
 * Per column, its strongest season with the ends of its profile, then its trend once the
 * season is out: "temp_max follows a yearly cycle (monthly means from 5.6 in Dec to 24.6 in
 * Aug) and rises by about 0.00207 per day once it is taken out (p = 0.0102)"; a column
 * without a season: "temp_max rises over date by about …" or "no significant trend over
 * date in temp_max (p = 0.099)".
 */
function trendsClause(
  trends: readonly Trend[],
  seasonality: readonly Season[],
): string | undefined {
  if (trends.length === 0) return undefined;
  return listed(
    trends.map((trend) => {
      const p = `(p = ${round(trend.pValue)})`;
      const verb = trend.direction === 'increasing' ? 'rises' : 'falls';
      const slope =
        trend.slopePerDay === null ? '' : ` by about ${round(Math.abs(trend.slopePerDay))} per day`;
      const season = trend.deseasonalised
        ? seasonality.find((s) => s.column === trend.column)
        : undefined;
      if (season === undefined) {
        return trend.direction === 'none'
          ? `no significant trend over ${trend.timeColumn} in ${trend.column} ${p}`
          : `${trend.column} ${verb} over ${trend.timeColumn}${slope} ${p}`;
      }
      const range = seasonRange(season);
      const cycle = `${trend.column} follows ${cycleWords(season)}${range === '' ? '' : ` (${range})`}`;
      return trend.direction === 'none'
        ? `${cycle} with no significant trend once it is taken out ${p}`
        : `${cycle} and ${verb}${slope} once it is taken out ${p}`;
    }),
  );
}

/** "3 unusual rows in temp_max (the farthest: 35.6 at row 200), none in temp_min". */
function anomaliesClause(
  anomalies: readonly Anomaly[],
  columns: readonly string[] | undefined,
): string | undefined {
  if (columns?.length === 0) return undefined;
  const names = columns ?? [...new Set(anomalies.map((anomaly) => anomaly.column))];
  const found = names.flatMap((column) => {
    const own = anomalies.filter((anomaly) => anomaly.column === column);
    if (own.length === 0) return [];
    const farthest = own.reduce((best, a) => (a.score > best.score ? a : best));
    const rows = own.length === 1 ? 'unusual row' : 'unusual rows';
    return [
      `${own.length} ${rows} in ${column} (the farthest: ${round(farthest.value)} at row ${farthest.row})`,
    ];
  });
  const clean = names.filter((column) => !anomalies.some((a) => a.column === column));
  if (found.length === 0)
    return clean.length === 0 ? 'no unusual rows' : `no unusual rows in ${listed(clean, 'or')}`;
  return clean.length === 0 ? listed(found) : `${found.join(', ')}, none in ${listed(clean, 'or')}`;
}

/** "review_text reads negative overall (sentiment -0.21; 12 of 20 passages negative)". */
function textClause(results: SpecialistResults, columns: readonly string[]): string | undefined {
  const documents = (results.text?.documents ?? []).filter(
    (document) => columns.length === 0 || columns.some((c) => document.source.includes(c)),
  );
  if (documents.length === 0) return undefined;
  return listed(
    documents.map((document) => {
      const negative = document.passages.filter((p) => p.label === 'negative').length;
      return `${document.source} reads ${document.label} overall (sentiment ${round(document.sentiment)}; ${negative} of ${document.passages.length} passages negative)`;
    }),
  );
}

function profileClause(results: SpecialistResults, columns: readonly string[]): string | undefined {
  if (results.profile === undefined) return undefined;
  const issues = (results.profile.issues ?? []).filter(
    (issue) => columns.length === 0 || columns.includes(issue.column),
  );
  if (issues.length === 0) return 'no data-quality issues';
  return listed(issues.map((issue) => `${issue.column}: ${issue.kind.replace(/_/g, ' ')}`));
}

/**
 * Insights about what the question names first (their own order kept otherwise): those
 * from a specialist it asks about and on a column it names, then either, then the rest.
 */
export function focusFirst(insights: readonly Insight[], asked: Asked | undefined): Insight[] {
  const focus = asked?.focus;
  if (focus === undefined) return [...insights];
  const rank = (insight: Insight) =>
    (focus.specialists.some((s) => s === insight.source) ? 0 : 1) +
    (focus.columns.some((column) => insight.title.includes(column)) ? 0 : 1);
  return insights
    .map((insight, index) => ({ insight, index, rank: rank(insight) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ insight }) => insight);
}
