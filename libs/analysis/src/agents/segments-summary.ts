import type { Insight, SpecialistResults } from './summary-inputs';
import type { Segment } from './segments-agent';

/** Shown numbers: 3 significant digits, so the guardrail finds them in the tool outputs. */
const round = (x: number) => Number(x.toPrecision(3));

/** The largest effect of each kind (ε² among group differences, |ρ| among correlations). */
function largest(segments: readonly Segment[], kind: Segment['kind']): Segment | undefined {
  return segments
    .filter((segment) => segment.kind === kind)
    .reduce<Segment | undefined>(
      (best, segment) =>
        best === undefined || Math.abs(segment.effect.value) > Math.abs(best.effect.value)
          ? segment
          : best,
      undefined,
    );
}

/** Insights from the segments: the largest group difference and the strongest correlation. */
export function segmentInsights(results: SpecialistResults): Insight[] {
  const segments = results.segments?.segments ?? [];
  return [largest(segments, 'group_difference'), largest(segments, 'correlation')].flatMap(
    (segment): Insight[] =>
      segment === undefined
        ? []
        : [
            {
              severity: 'info',
              source: 'segments',
              title:
                segment.kind === 'group_difference'
                  ? `${segment.column} differs by ${segment.by}`
                  : `${segment.column} and ${segment.with} move together`,
              detail: segment.description,
            },
          ],
  );
}

/**
 * The clause answering a question about segments, for the columns it names (all when it
 * names none): the largest group difference among them, in words, or that none was found.
 */
export function segmentsClause(
  results: SpecialistResults,
  columns: readonly string[],
): string | undefined {
  if (results.segments === undefined) return undefined;
  const about = results.segments.segments.filter(
    (segment) =>
      columns.length === 0 ||
      [segment.column, segment.by, segment.with].some((c) => c !== null && columns.includes(c)),
  );
  const difference = largest(about, 'group_difference');
  if (difference?.highest != null && difference.lowest !== null && difference.difference !== null) {
    const n = difference.contrast?.n ?? difference.n;
    return (
      `${difference.column} averages ${round(difference.difference)} higher when ${difference.by} ` +
      `is ${difference.highest} than when it is ${difference.lowest} (n = ${n.toLocaleString('en-US')})`
    );
  }
  const correlation = largest(about, 'correlation');
  if (correlation !== undefined)
    return `${correlation.column} and ${correlation.with} are correlated (Spearman ρ = ${round(correlation.effect.value)}, n = ${correlation.n.toLocaleString('en-US')})`;
  return 'no clear difference between groups and no strong correlation was found';
}
