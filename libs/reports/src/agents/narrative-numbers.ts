import { headlineOf, type ReportContent } from '../documents/report-content';
import { dimensionsLabel, metricHeading, metricTableRows } from '../documents/report-format';

/**
 * What a narrative may state: the numbers of each metric's headline row (this period, the
 * previous one, the change and its per cent), and the labels that name them, whose digits
 * ("p95", "eu-west-1") are names, not numbers.
 */
export interface TableNumbers {
  /** Magnitudes of the headline values and absolute changes. */
  values: number[];
  /** Magnitudes of the per-cent changes, and the values of metrics measured in per cent. */
  percents: number[];
  /** Metric names, units, filters and statistic names, longest first. */
  labels: string[];
}

// The headline statistics as a sentence may name them besides the tables' labels.
const STATISTIC_WORDS = ['total', 'average', 'minimum', 'maximum', 'last value', 'p95'];
const PERCENT_UNIT = /%|\bper ?cent\b|\bpct\b/i;

export function tableNumbers(content: ReportContent): TableNumbers {
  const values: number[] = [];
  const percents: number[] = [];
  const labels = new Set<string>(STATISTIC_WORDS);
  for (const section of content.metrics) {
    const current = headlineOf(section.current, section.aggregate);
    const previous = headlineOf(section.previous, section.aggregate);
    const measured = [current, previous, section.change.absolute].filter(
      (value): value is number => value !== null && Number.isFinite(value),
    );
    values.push(...measured.map(Math.abs));
    if (section.change.percent !== null && Number.isFinite(section.change.percent)) {
      percents.push(Math.abs(section.change.percent));
    }
    if (section.unit !== null && PERCENT_UNIT.test(section.unit)) {
      percents.push(...measured.map(Math.abs));
    }
    labels.add(metricHeading(section));
    labels.add(section.name);
    if (section.unit !== null) labels.add(section.unit);
    labels.add(dimensionsLabel(section.dimensions));
    for (const [key, value] of Object.entries(section.dimensions)) {
      labels.add(`${key}: ${value}`);
      labels.add(key);
      labels.add(value);
    }
    for (const row of metricTableRows(section)) labels.add(row.label);
  }
  return {
    values,
    percents,
    // A label without a letter cannot be told from a number: its digits are checked.
    labels: [...labels].filter((label) => /\p{L}/u.test(label)).sort((a, b) => b.length - a.length),
  };
}

// Digits with optional thousands separators and decimals, then a per-cent mark or a scale.
const NUMBER =
  /(?<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?<suffix>\s*(?:%|per\s*cent\b|percent\b|pct\b)|(?:k|m|bn|tn)\b|\s+(?:thousand|million|billion|trillion)\b)?/giu;

const SCALES: Record<string, number> = {
  k: 1e3,
  thousand: 1e3,
  m: 1e6,
  million: 1e6,
  bn: 1e9,
  billion: 1e9,
  tn: 1e12,
  trillion: 1e12,
};

// Numbers written as words; "one" is left out, it is as often a pronoun ("the one before").
const WORD_VALUES: Record<string, number> = {
  zero: 0,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
};
const NUMBER_WORD = new RegExp(`\\b(?:${Object.keys(WORD_VALUES).join('|')})\\b`, 'giu');

interface WrittenNumber {
  text: string;
  value: number;
  /** Half a unit of the last digit written: how far the table's number may be from it. */
  tolerance: number;
  percent: boolean;
}

/**
 * The numbers `text` states that the tables do not hold, as written. A number matches a
 * table number that rounds to it at the precision it is written with, whatever its sign
 * ("down 1,200" is the table's "-1,200"): "1,234.6", "1,235" and "1.2k" all state
 * 1,234.5678, "25%" states a change of +25.05%. A per-cent number matches only a per-cent
 * change (or the value of a metric measured in per cent), a plain number only a value or an
 * absolute change. Numbers written as words ("thirty") are held to the same rule, one word
 * at a time. Digits inside a metric's name, unit or filter are not numbers.
 */
export function numbersNotInTables(text: string, tables: TableNumbers): string[] {
  const unlabelled = tables.labels.reduce(
    (remaining, label) => remaining.replace(labelPattern(label), ' '),
    text,
  );
  const written = [...writtenNumbers(unlabelled)];
  return [
    ...new Set(
      written
        .filter(({ value, tolerance, percent }) => {
          const candidates = percent ? tables.percents : tables.values;
          return !candidates.some(
            (known) => Math.abs(known - value) <= Math.max(tolerance, Math.abs(known) * 1e-12),
          );
        })
        .map(({ text: shown }) => shown),
    ),
  ];
}

function* writtenNumbers(text: string): Generator<WrittenNumber> {
  for (const match of text.matchAll(NUMBER)) {
    const digits = (match.groups?.digits ?? '').replace(/,/g, '');
    const suffix = (match.groups?.suffix ?? '').trim().toLowerCase();
    const scale = SCALES[suffix] ?? 1;
    const decimals = digits.split('.')[1]?.length ?? 0;
    yield {
      text: match[0].trim(),
      value: Number(digits) * scale,
      tolerance: 0.5 * 10 ** -decimals * scale,
      percent: suffix !== '' && scale === 1,
    };
  }
  const withoutDigits = text.replace(NUMBER, ' ');
  for (const match of withoutDigits.matchAll(NUMBER_WORD)) {
    const word = match[0].toLowerCase();
    const percent = /^\s*(?:%|per\s*cent\b|percent\b)/iu.test(
      withoutDigits.slice((match.index ?? 0) + word.length),
    );
    yield { text: match[0], value: WORD_VALUES[word] ?? Number.NaN, tolerance: 0.5, percent };
  }
}

/** `label` wherever it stands alone (not inside a longer word or number), in any case. */
function labelPattern(label: string): RegExp {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'giu');
}
