import { headlineOf, type ReportContent, type ReportMetricSection } from './report-content';
import { dimensionsLabel, formatNumber, formatPercent, metricHeading } from './report-format';

const AGGREGATE_WORDS: Record<ReportMetricSection['aggregate'], string> = {
  sum: 'total',
  avg: 'average',
  min: 'minimum',
  max: 'maximum',
  count: 'count',
  last: 'last value',
  p95: '95th percentile',
};

/**
 * The narrative composed from the tables alone: one sentence per metric on its headline
 * statistic and its change, every number formatted exactly as its table shows it, so the
 * text never states a number the reader cannot find below it.
 */
export function composeNarrative(content: ReportContent): string {
  if (content.metrics.length === 0) return 'This report covers no metrics.';
  return content.metrics.map(sentence).join(' ');
}

function sentence(section: ReportMetricSection): string {
  const subject = narrativeSubject(section);
  const current = headlineOf(section.current, section.aggregate);
  const previous = headlineOf(section.previous, section.aggregate);
  if (section.current.count === 0) {
    return previous === null || section.previous.count === 0
      ? `${subject} had no data in this period or the one before.`
      : `${subject} had no data in this period (${formatNumber(previous)} in the one before).`;
  }
  const word = AGGREGATE_WORDS[section.aggregate];
  const stated = `${subject}: the ${word} was ${formatNumber(current)}`;
  const { absolute, percent } = section.change;
  if (absolute === null || previous === null) return `${stated}, with no data the period before.`;
  if (absolute === 0) return `${stated}, unchanged from the period before.`;
  // The word carries the direction, so the amounts are unsigned ("down 103 (5.4%)").
  const direction = absolute > 0 ? 'up' : 'down';
  const by =
    percent === null
      ? formatNumber(Math.abs(absolute))
      : `${formatNumber(Math.abs(absolute))} (${formatPercent(Math.abs(percent)).replace(/^\+/, '')})`;
  return `${stated}, ${direction} ${by} from ${formatNumber(previous)}.`;
}

/** "Revenue (EUR) [region: EU]": how a narrative names a metric section, its filter if any. */
export function narrativeSubject(section: ReportMetricSection): string {
  const filter =
    Object.keys(section.dimensions).length === 0 ? '' : ` [${dimensionsLabel(section.dimensions)}]`;
  return `${metricHeading(section)}${filter}`;
}
