import {
  AGGREGATE_WORDS,
  BUCKET_WORDS,
  COMPARATOR_WORDS,
  DISTINCT_WORDS,
  GROUP_WORDS,
  MONTHS,
  ORDER_WORDS,
  type Phrase,
  RELATIVE_UNIT_WORDS,
  SUPERLATIVE_DIRECTION,
  VERSUS_WORDS,
} from './question-lexicon';
import type { Mention } from './question-mentions';
import { isTypo, singular } from './question-words';

const MONTH_INDEX = new Map<string, number>(
  MONTHS.flatMap((names, month) => names.map((name) => [name, month] as [string, number])),
);

export function phraseAt(words: readonly string[], i: number): Mention | null {
  const match = <T>(list: ReadonlyArray<Phrase<T>>): { meaning: T; end: number } | null => {
    let best: { meaning: T; end: number } | null = null;
    for (const phrase of list) {
      const end = i + phrase.words.length;
      if (end > words.length) continue;
      if (
        !phrase.words.every(
          (w, k) => words[i + k] === w || (w.length >= 7 && isTypo(words[i + k], w)),
        )
      )
        continue;
      if (best === null || end > best.end) best = { meaning: phrase.meaning, end };
    }
    return best;
  };
  const text = (end: number) => words.slice(i, end).join(' ');
  const bucket = match(BUCKET_WORDS);
  const aggregate = match(AGGREGATE_WORDS);
  const order = match(ORDER_WORDS);
  const group = match(GROUP_WORDS);
  const comparator = match(COMPARATOR_WORDS);
  const versus = match(VERSUS_WORDS);
  if (DISTINCT_WORDS.has(words[i]))
    return { kind: 'distinct', start: i, end: i + 1, text: words[i] };
  const candidates: Mention[] = [];
  if (aggregate)
    candidates.push({
      kind: 'aggregate',
      aggregate: aggregate.meaning,
      start: i,
      end: aggregate.end,
      text: text(aggregate.end),
    });
  if (order)
    candidates.push({
      kind: 'order',
      direction: order.meaning,
      start: i,
      end: order.end,
      text: text(order.end),
    });
  if (comparator)
    candidates.push({
      kind: 'comparator',
      comparator: comparator.meaning,
      start: i,
      end: comparator.end,
      text: text(comparator.end),
    });
  if (group) candidates.push({ kind: 'group', start: i, end: group.end, text: text(group.end) });
  if (bucket)
    candidates.push({
      kind: 'bucket',
      bucket: bucket.meaning,
      start: i,
      end: bucket.end,
      text: text(bucket.end),
    });
  if (versus)
    candidates.push({ kind: 'versus', start: i, end: versus.end, text: text(versus.end) });
  if (candidates.length === 0) return null;
  // The longest phrase wins; among equals the order above (aggregate before order: "max").
  return candidates.reduce((a, b) => (b.end > a.end ? b : a));
}

/** Number words a question may spell out ("the two years"); "one" is too often a pronoun. */
const NUMBER_WORDS: Readonly<Record<string, number>> = {
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
  twenty: 20,
};

/** The number a word is: digits, an ordinal ("4th"), or a spelled-out one; else null. */
export function numberOf(word: string | undefined): number | null {
  if (word === undefined) return null;
  const digits = /^(-?\d+(?:\.\d+)?)(?:st|nd|rd|th)?$/.exec(word);
  if (digits !== null) return Number(digits[1]);
  return NUMBER_WORDS[word] ?? null;
}

export function numberAt(words: readonly string[], i: number): Mention | null {
  const value = numberOf(words[i]);
  if (value === null || /(st|nd|rd|th)$/.test(words[i])) return null;
  return { kind: 'number', value, start: i, end: i + 1, text: words[i] };
}

const isYear = (word: string | undefined) =>
  word !== undefined && /^\d{4}$/.test(word) && Number(word) >= 1800 && Number(word) <= 2200;

/** "March 2014", "in 2014", "Q1 2015": a period of the time column, as inclusive dates. */
export function periodAt(words: readonly string[], i: number): Mention | null {
  const word = words[i];
  const day = dayAt(words, i);
  if (day !== null) return day;
  const month = MONTH_INDEX.get(word);
  const previous = words[i - 1];
  if (month !== undefined && (word !== 'may' || isYear(words[i + 1]) || previous === 'in')) {
    if (isYear(words[i + 1])) {
      const year = Number(words[i + 1]);
      return {
        kind: 'period',
        from: isoDate(year, month, 1),
        to: isoDate(year, month + 1, 0),
        label: `${words[i]} ${year}`,
        start: i,
        end: i + 2,
        text: `${words[i]} ${words[i + 1]}`,
      };
    }
    return null;
  }
  const quarter = /^q([1-4])$/.exec(word);
  if (quarter !== null && isYear(words[i + 1])) {
    const year = Number(words[i + 1]);
    const q = Number(quarter[1]) - 1;
    return {
      kind: 'period',
      from: isoDate(year, 3 * q, 1),
      to: isoDate(year, 3 * q + 3, 0),
      label: `Q${q + 1} ${year}`,
      start: i,
      end: i + 2,
      text: `${word} ${words[i + 1]}`,
    };
  }
  // "over 2000" compares a number; "from 2005 to 2010" is two years.
  const compared = COMPARATOR_WORDS.some((p) =>
    p.words.every((w, k) => words[i - p.words.length + k] === w),
  );
  if (isYear(word) && !compared) {
    const year = Number(word);
    return {
      kind: 'period',
      from: `${year}-01-01`,
      to: `${year}-12-31`,
      label: word,
      start: i,
      end: i + 1,
      text: word,
    };
  }
  return null;
}

/** "between 10 and 20", "from 3 to 5": an inclusive range of numbers. */
export function rangeAt(words: readonly string[], i: number): Mention | null {
  const opener = words[i];
  const joiner = opener === 'between' ? 'and' : opener === 'from' ? 'to' : null;
  const number = /^-?\d+(\.\d+)?$/;
  if (joiner === null || words[i + 2] !== joiner) return null;
  if (!number.test(words[i + 1] ?? '') || !number.test(words[i + 3] ?? '')) return null;
  if (isYear(words[i + 1]) && isYear(words[i + 3])) return null;
  const [a, b] = [Number(words[i + 1]), Number(words[i + 3])];
  return {
    kind: 'range',
    from: Math.min(a, b),
    to: Math.max(a, b),
    start: i,
    end: i + 4,
    text: words.slice(i, i + 4).join(' '),
  };
}

/** One day: `2014-07-04`, "July 4th 2014", "July 4 2014", "4 July 2014". */
function dayAt(words: readonly string[], i: number): Mention | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(words[i]);
  let date: [number, number, number] | null = null;
  let end = i + 1;
  if (iso !== null) date = [Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])];
  const dayNumber = (word: string | undefined) => {
    const n = /^\d{1,2}(st|nd|rd|th)?$/.test(word ?? '') ? numberOf(word) : null;
    return n !== null && n >= 1 && n <= 31 ? n : null;
  };
  const month = MONTH_INDEX.get(words[i]);
  const dayAfter = dayNumber(words[i + 1]);
  if (month !== undefined && dayAfter !== null && isYear(words[i + 2])) {
    date = [Number(words[i + 2]), month, dayAfter];
    end = i + 3;
  }
  const dayBefore = dayNumber(words[i]);
  const monthAfter = MONTH_INDEX.get(words[i + 1] ?? '');
  if (dayBefore !== null && monthAfter !== undefined && isYear(words[i + 2])) {
    date = [Number(words[i + 2]), monthAfter, dayBefore];
    end = i + 3;
  }
  if (date === null) return null;
  const from = isoDate(...date);
  // 2014-02-30 is no day: the calendar would roll it into March.
  if (Number(from.slice(8, 10)) !== date[2]) return null;
  const text = words.slice(i, end).join(' ');
  return { kind: 'period', from, to: from, label: from, start: i, end, text };
}

const WEEKDAY_NAMES = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];
/** Words before a month that make it a month of any year ("in March"). */
const MONTH_OPENERS = new Set(['in', 'during', 'of', 'for', 'every', 'each']);

/** "on weekends", "on weekdays", "on Mondays", "in March": a calendar part of the time column. */
export function calendarAt(words: readonly string[], i: number): Mention | null {
  const word = words[i];
  const at = (part: 'weekday' | 'month', values: number[], label: string): Mention => ({
    kind: 'calendar',
    part,
    values,
    label,
    start: i,
    end: i + 1,
    text: word,
  });
  if (word === 'weekend' || word === 'weekends') return at('weekday', [6, 7], 'weekends');
  // "weekday" alone groups ("by weekday"); "on weekdays" filters.
  if (word === 'weekdays' || word === 'workdays' || (word === 'weekday' && words[i - 1] === 'on'))
    return at('weekday', [1, 2, 3, 4, 5], 'weekdays');
  const day = WEEKDAY_NAMES.indexOf(singular(word));
  if (day >= 0) return at('weekday', [day + 1], WEEKDAY_NAMES[day]);
  const month = MONTH_INDEX.get(word);
  if (month !== undefined && MONTH_OPENERS.has(words[i - 1] ?? '') && !isYear(words[i + 1]))
    return at('month', [month + 1], MONTHS[month][0]);
  return null;
}

/** "the last 30 days", "past week", "last 3 months". */
export function lastAt(words: readonly string[], i: number): Mention | null {
  if (words[i] !== 'last' && words[i] !== 'past' && words[i] !== 'previous') return null;
  let k = i + 1;
  let amount = 1;
  const counted = numberOf(words[k]);
  if (counted !== null && Number.isInteger(counted)) {
    amount = counted;
    k++;
  }
  const unit = RELATIVE_UNIT_WORDS[singular(words[k] ?? '')];
  if (unit === undefined || amount < 1) return null;
  return {
    kind: 'last',
    amount,
    unit,
    start: i,
    end: k + 1,
    text: words.slice(i, k + 1).join(' '),
  };
}

/**
 * "top 5", "5 highest", "bottom 3", "3 lowest": how many, and which way; "which 3 months",
 * "the two years": how many only, the way coming from a superlative elsewhere.
 */
export function topAt(words: readonly string[], i: number): Mention | null {
  const word = words[i];
  const next = words[i + 1];
  const nextCount = numberOf(next);
  if ((word === 'top' || word === 'bottom' || word === 'first') && nextCount !== null)
    return {
      kind: 'order',
      direction: word === 'bottom' ? 'asc' : 'desc',
      count: nextCount,
      start: i,
      end: i + 2,
      text: `${word} ${next}`,
    };
  const count = /^\d+$/.test(word) || /^[a-z]+$/.test(word) ? numberOf(word) : null;
  if (count === null || !Number.isInteger(count) || count > 100 || next === undefined) return null;
  const order = ORDER_WORDS.find((p) => p.words.length === 1 && p.words[0] === next);
  if (order !== undefined)
    return {
      kind: 'order',
      direction: order.meaning,
      count,
      start: i,
      end: i + 2,
      text: `${word} ${next}`,
    };
  const superlative = SUPERLATIVE_DIRECTION[next];
  // The superlative also names the column ("5 hottest"): only the count is taken here.
  if (superlative !== undefined)
    return { kind: 'order', direction: superlative, count, start: i, end: i + 1, text: word };
  const opener = words[i - 1] ?? '';
  if ((COUNT_OPENERS.has(opener) || isTypo(opener, 'which')) && !isYearWord(word))
    return { kind: 'count', value: count, start: i, end: i + 1, text: word };
  return null;
}

/** Words before "3 months" that make the number a count of things asked for. */
const COUNT_OPENERS = new Set(['which', 'what', 'the', 'top', 'bottom', 'first', 'list', 'show']);
const isYearWord = (word: string) => /^\d{4}$/.test(word);

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}
