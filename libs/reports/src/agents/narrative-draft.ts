import type { ReportContent, ReportMetricSection } from '../documents/report-content';
import {
  dimensionsLabel,
  formatPercent,
  metricHeading,
  metricTableRows,
  NO_VALUE,
} from '../documents/report-format';
import { narrativeSubject } from '../documents/report-narrative';

/**
 * What the narrative agent reads of one metric: its headline row, every number exactly as
 * the report's table shows it.
 */
export interface NarrativeFigures {
  metric: string;
  /** The filter of the metric's dimensions ("region: EU"), or "All". */
  filter: string;
  /** The headline statistic ("Sum", "Average", …): the one the change is about. */
  statistic: string;
  thisPeriod: string;
  previousPeriod: string;
  /** "+1,200 (+12.5%)", or "–" without a previous value. */
  change: string;
}

export function narrativeFigures(content: ReportContent): NarrativeFigures[] {
  return content.metrics.map((section) => {
    const rows = metricTableRows(section);
    const headline = rows.find((row) => row.headline) ?? rows[0];
    return {
      metric: metricHeading(section),
      filter: dimensionsLabel(section.dimensions),
      statistic: headline?.label ?? section.aggregate,
      thisPeriod: headline?.current ?? NO_VALUE,
      previousPeriod: headline?.previous ?? NO_VALUE,
      change: headline?.change ?? NO_VALUE,
    };
  });
}

// "rose to a total of 1,250" reads as a sentence where the table's "Sum" would not.
const STATISTIC_PHRASES: Record<ReportMetricSection['aggregate'], string> = {
  sum: 'a total of',
  avg: 'an average of',
  min: 'a minimum of',
  max: 'a maximum of',
  count: 'a count of',
  last: 'a last value of',
  p95: 'a 95th percentile of',
};

type Movement = 'rose' | 'fell' | 'held' | 'new' | 'empty';

/**
 * The plain narrative the agent's `draft_narrative` tool gives it, and what the builtin
 * model answers with: the metric that moved most (by per cent), then the metrics that
 * rose, fell, held, had no earlier data or had none at all, one sentence each, every
 * number copied from the headline rows. Unlike the tables-only fallback
 * (documents/report-narrative.ts), it groups the metrics by where they went.
 */
export function draftNarrative(content: ReportContent): string {
  const figures = narrativeFigures(content);
  const groups = new Map<Movement, string[]>();
  content.metrics.forEach((section, index) => {
    const shown = figures[index];
    if (shown === undefined) return;
    const movement = movementOf(section);
    groups.set(movement, [...(groups.get(movement) ?? []), clause(section, shown, movement)]);
  });
  const sentences = (['rose', 'fell', 'held', 'new', 'empty'] as const)
    .map((movement) => groups.get(movement))
    .filter((clauses): clauses is string[] => clauses !== undefined)
    .map((clauses) => `${clauses.join('; ')}.`);
  const lead = largestMove(content.metrics);
  return [...(lead === undefined ? [] : [lead]), ...sentences].join(' ');
}

function movementOf(section: ReportMetricSection): Movement {
  if (section.current.count === 0) return 'empty';
  const { absolute } = section.change;
  if (absolute === null) return 'new';
  if (absolute === 0) return 'held';
  return absolute > 0 ? 'rose' : 'fell';
}

function clause(section: ReportMetricSection, shown: NarrativeFigures, movement: Movement): string {
  const subject = narrativeSubject(section);
  const statistic = STATISTIC_PHRASES[section.aggregate];
  switch (movement) {
    case 'rose':
    case 'fell':
      return `${subject} ${movement} to ${statistic} ${shown.thisPeriod} from ${shown.previousPeriod}, a change of ${shown.change}`;
    case 'held':
      return `${subject} held at ${statistic} ${shown.thisPeriod}`;
    case 'new':
      return `${subject} came to ${statistic} ${shown.thisPeriod}, with no data the period before`;
    case 'empty':
      return shown.previousPeriod === NO_VALUE || section.previous.count === 0
        ? `${subject} had no data in this period or the one before`
        : `${subject} had no data in this period, after ${statistic} ${shown.previousPeriod} in the one before`;
  }
}

/** "The largest change was in X, at +12.5%.", when two or more metrics changed by a per cent. */
function largestMove(sections: ReportMetricSection[]): string | undefined {
  const moved = sections.filter(
    (section) =>
      section.current.count > 0 && section.change.percent !== null && section.change.percent !== 0,
  );
  if (moved.length < 2) return undefined;
  const largest = moved.reduce((best, section) =>
    Math.abs(section.change.percent ?? 0) > Math.abs(best.change.percent ?? 0) ? section : best,
  );
  return `The largest change was in ${narrativeSubject(largest)}, at ${formatPercent(largest.change.percent)}.`;
}
