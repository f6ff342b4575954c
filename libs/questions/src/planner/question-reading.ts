import type { Aggregate, RelativeUnit, TimeBucket } from '../query/structured-query';
import type { PlannerDataset } from './plan';
import {
  AGGREGATE_WORDS,
  BUCKET_WORDS,
  COMPARATOR_WORDS,
  type Comparator,
  DISTINCT_WORDS,
  FILLER_WORDS,
  GROUP_WORDS,
  MONTHS,
  ORDER_WORDS,
  type Phrase,
  RELATIVE_UNIT_WORDS,
  ROW_WORDS,
  SUPERLATIVE_DIRECTION,
  SYNONYMS,
  VERSUS_WORDS,
} from './question-lexicon';
import { columnParts, isTypo, singular, wordsOf } from './question-words';

/** One thing recognised in a question, over question tokens [start, end). */
export type Mention = { start: number; end: number; text: string } & (
  | {
      kind: 'column';
      columns: string[];
      /** A superlative in the run ("hottest"): the way to order by this column. */
      hint?: 'desc' | 'asc';
      /** A qualifier word in the run ("highest temperature"): the aggregate it implies. */
      qualifier?: 'max' | 'min' | 'avg';
    }
  | { kind: 'value'; column: string; value: string }
  | { kind: 'aggregate'; aggregate: Aggregate }
  | { kind: 'distinct' }
  | { kind: 'order'; direction: 'asc' | 'desc'; count?: number }
  | { kind: 'group' }
  | { kind: 'bucket'; bucket: TimeBucket }
  | { kind: 'comparator'; comparator: Comparator }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'number'; value: number }
  | { kind: 'period'; from: string; to: string; label: string }
  | { kind: 'last'; amount: number; unit: RelativeUnit }
  | { kind: 'versus' }
  | { kind: 'rows' }
  | { kind: 'filler' }
  | { kind: 'unknown' }
);

export interface QuestionToken {
  /** Lower case; numbers without thousands separators. */
  word: string;
  raw: string;
}

/** Words and numbers of a question, in order (`1,000` → 1000, `3.5` kept whole). */
export function tokensOf(question: string): QuestionToken[] {
  const out: QuestionToken[] = [];
  for (const match of question.matchAll(/\d[\d,]*(?:\.\d+)?|[\p{L}\p{N}][\p{L}\p{N}_'’.-]*/gu)) {
    let raw = match[0].replace(/[.'’-]+$/u, '');
    if (/^\d/.test(raw)) raw = raw.replace(/,/g, '');
    const word = raw.toLowerCase().replace(/['’]s$/u, '');
    if (word.length > 0) out.push({ word, raw });
  }
  return out;
}

/** Words that join others: part of a column's name only together with its other words. */
const STRUCTURE_WORDS = new Set(
  'by per each every across of and or in on to for with vs than over under above below at from'.split(
    ' ',
  ),
);

/** Nouns that follow a column to say it is a category ("weather type", "region group"). */
const CATEGORY_NOUNS = new Set([
  'type',
  'kind',
  'category',
  'class',
  'group',
  'level',
  'value',
  'condition',
]);

const MONTH_INDEX = new Map<string, number>(
  MONTHS.flatMap((names, month) => names.map((name) => [name, month] as [string, number])),
);
const TIME_TYPES = new Set(['date', 'datetime']);

/**
 * Everything the planner recognises in a question, left to right, each token in at most
 * one mention (longest first); tokens it cannot place are `unknown` mentions.
 */
export function readQuestion(question: string, dataset: PlannerDataset): Mention[] {
  const tokens = tokensOf(question);
  const words = tokens.map((t) => t.word);
  const values = valueIndex(dataset);
  const columns = dataset.columns.map((c) => ({ name: c.name, words: columnWordsOf(c.name) }));
  const rowWords = new Set([...ROW_WORDS, ...wordsOf(dataset.name).map(singular)]);
  const hasTime = dataset.columns.some((c) => TIME_TYPES.has(c.type));
  const mentions: Mention[] = [];
  let i = 0;
  while (i < tokens.length) {
    const found =
      periodAt(words, i) ??
      rangeAt(words, i) ??
      lastAt(words, i) ??
      topAt(words, i) ??
      numberAt(words, i) ??
      valueAt(words, i, values) ??
      columnAt(words, i, columns) ??
      phraseAt(words, i);
    if (found !== null) {
      mentions.push(found);
      i = found.end;
      continue;
    }
    const word = singular(words[i]);
    const afterColumn = mentions[mentions.length - 1]?.kind === 'column';
    const kind =
      FILLER_WORDS.has(words[i]) || (afterColumn && CATEGORY_NOUNS.has(word))
        ? 'filler'
        : rowWords.has(word) ||
            (hasTime && ['day', 'date', 'hour', 'week', 'month', 'year'].includes(word))
          ? 'rows'
          : 'unknown';
    mentions.push({ kind, start: i, end: i + 1, text: tokens[i].raw });
    i++;
  }
  return mentions;
}

/** A column's words, singular, with its synonyms' groups (`temp_max` → temp, max). */
function columnWordsOf(name: string): string[] {
  return columnParts(name).map(singular);
}

/** Whether a question word names a column word: same, plural, synonym, abbreviation or typo. */
export function namesWord(word: string, columnWord: string): boolean {
  const w = singular(word);
  if (w === columnWord || word === columnWord) return true;
  if (columnWord.length >= 3 && w.length > columnWord.length && w.startsWith(columnWord))
    return true;
  if (SYNONYMS.some((group) => group.includes(w) && group.includes(columnWord))) return true;
  if (QUALIFIER_SYNONYMS.some((group) => group.includes(w) && group.includes(columnWord)))
    return true;
  return isTypo(w, columnWord);
}

/** Qualifier words of column names and the question words that mean them. */
const QUALIFIER_SYNONYMS: ReadonlyArray<readonly string[]> = [
  ['max', 'maximum', 'highest', 'high', 'peak', 'top', 'hottest', 'warmest', 'most', 'largest'],
  ['min', 'minimum', 'lowest', 'low', 'bottom', 'coldest', 'coolest', 'least', 'smallest'],
  ['avg', 'average', 'mean'],
];

/** Column words that only qualify (`max` in `temp_max`): they never name a column alone. */
const QUALIFIERS = new Set([
  'max',
  'min',
  'avg',
  'mean',
  'total',
  'sum',
  'count',
  'number',
  'num',
  'id',
  'value',
  'the',
  'of',
]);

/**
 * The longest run of question words from `i` that names columns: every run word must name
 * a word of the column, and at least one a word that is not a mere qualifier. Several
 * columns when the run fits them equally (`temperature`: temp_max and temp_min).
 */
function columnAt(
  words: readonly string[],
  i: number,
  columns: ReadonlyArray<{ name: string; words: string[] }>,
): Mention | null {
  if (FILLER_WORDS.has(words[i]) && !columns.some((c) => c.words.includes(words[i]))) return null;
  // A column named as it is written (`temp_max`, "temp max") is that column alone.
  for (let end = Math.min(words.length, i + 4); end > i; end--) {
    const run = words.slice(i, end);
    const exact = columns.filter(
      (c) =>
        c.name.toLowerCase() === run.join('_') ||
        c.name.toLowerCase() === run.join(' ') ||
        (end - i > 1 && c.words.join(' ') === run.map(singular).join(' ')),
    );
    if (exact.length === 1)
      return { kind: 'column', columns: [exact[0].name], start: i, end, text: run.join(' ') };
  }
  let best: { end: number; columns: string[]; score: number } | null = null;
  for (let end = Math.min(words.length, i + 4); end > i; end--) {
    const run = words.slice(i, end);
    // "per" in `miles_per_gallon` names the column only with its neighbours.
    if (run.length === 1 && STRUCTURE_WORDS.has(run[0])) continue;
    const fits = columns
      .map((c) => {
        if (!run.every((w) => c.words.some((cw) => namesWord(w, cw)))) return null;
        const substantive = run.some((w) =>
          c.words.some((cw) => !QUALIFIERS.has(cw) && namesWord(w, cw)),
        );
        if (!substantive && !run.every((w) => c.words.length === 1 && c.words[0] === singular(w)))
          return null;
        // Exact words count more than synonyms and typos; a fully named column most.
        const exact = run.filter((w) => c.words.includes(singular(w))).length;
        const whole = c.words.every((cw) => run.some((w) => namesWord(w, cw))) ? 1 : 0;
        return { name: c.name, score: run.length * 10 + exact * 2 + whole };
      })
      .filter((f): f is { name: string; score: number } => f !== null);
    if (fits.length === 0) continue;
    const top = Math.max(...fits.map((f) => f.score));
    best = { end, columns: fits.filter((f) => f.score === top).map((f) => f.name), score: top };
    break;
  }
  if (best === null) return null;
  const run = words.slice(i, best.end);
  const hint = run.map((w) => SUPERLATIVE_DIRECTION[w]).find((d) => d !== undefined);
  const qualifier = run
    .map((w) => QUALIFIER_SYNONYMS.find((group) => group.includes(w))?.[0])
    .find((q) => q !== undefined) as 'max' | 'min' | 'avg' | undefined;
  return {
    kind: 'column',
    columns: best.columns,
    start: i,
    end: best.end,
    text: run.join(' '),
    ...(hint === undefined ? {} : { hint }),
    ...(qualifier === undefined ? {} : { qualifier }),
  };
}

interface KnownValue {
  column: string;
  value: string;
  words: string[];
}

/** The values of text columns the planner may recognise: all known, else the profile's top ones. */
function valueIndex(dataset: PlannerDataset): KnownValue[] {
  const out: KnownValue[] = [];
  for (const column of dataset.columns) {
    if (column.type !== 'string' && column.type !== 'boolean') continue;
    const profile = dataset.profile.find((p) => p.name === column.name);
    const known =
      dataset.values?.get(column.name) ?? profile?.topValues.map((t) => String(t.value)) ?? [];
    for (const value of known) {
      const words = wordsOf(value);
      if (words.length === 0 || words.length > 4 || value.length > 60) continue;
      out.push({ column: column.name, value, words });
    }
  }
  return out;
}

/** Whether a question word names a value word: same, plural, adjective (rainy → rain), typo. */
function namesValueWord(word: string, valueWord: string): boolean {
  if (word === valueWord || singular(word) === valueWord) return true;
  if (/^\d+$/.test(valueWord)) return false;
  if (valueWord.length >= 3 && word.startsWith(valueWord) && word.length - valueWord.length <= 3)
    return /^(y|ny|ry|gy|ese|ian|an|n|ish|ern|s|es)$/.test(word.slice(valueWord.length));
  return isTypo(word, valueWord);
}

/** The longest run of question words from `i` that is a value of a text column. */
function valueAt(
  words: readonly string[],
  i: number,
  values: readonly KnownValue[],
): Mention | null {
  if (FILLER_WORDS.has(words[i])) return null;
  for (let length = 4; length >= 1; length--) {
    if (i + length > words.length) continue;
    const run = words.slice(i, i + length);
    const matches = values.filter(
      (v) => v.words.length === length && v.words.every((w, k) => namesValueWord(run[k], w)),
    );
    if (matches.length === 0) continue;
    // Prefer an exact match over an adjective or a typo of another value.
    const exact = matches.filter((m) =>
      m.words.every((w, k) => w === run[k] || singular(run[k]) === w),
    );
    const chosen = (exact.length > 0 ? exact : matches)[0];
    return {
      kind: 'value',
      column: chosen.column,
      value: chosen.value,
      start: i,
      end: i + length,
      text: run.join(' '),
    };
  }
  return null;
}

function phraseAt(words: readonly string[], i: number): Mention | null {
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

function numberAt(words: readonly string[], i: number): Mention | null {
  const word = words[i];
  if (!/^-?\d+(\.\d+)?$/.test(word)) return null;
  return { kind: 'number', value: Number(word), start: i, end: i + 1, text: word };
}

const isYear = (word: string | undefined) =>
  word !== undefined && /^\d{4}$/.test(word) && Number(word) >= 1800 && Number(word) <= 2200;

/** "March 2014", "in 2014", "Q1 2015": a period of the time column, as inclusive dates. */
function periodAt(words: readonly string[], i: number): Mention | null {
  const word = words[i];
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
  if (isYear(word) && !COMPARATOR_WORDS.some((p) => p.words[p.words.length - 1] === previous)) {
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
function rangeAt(words: readonly string[], i: number): Mention | null {
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

/** "the last 30 days", "past week", "last 3 months". */
function lastAt(words: readonly string[], i: number): Mention | null {
  if (words[i] !== 'last' && words[i] !== 'past' && words[i] !== 'previous') return null;
  let k = i + 1;
  let amount = 1;
  if (/^\d+$/.test(words[k] ?? '')) {
    amount = Number(words[k]);
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

/** "top 5", "5 highest", "bottom 3", "3 lowest": how many, and which way. */
function topAt(words: readonly string[], i: number): Mention | null {
  const word = words[i];
  const next = words[i + 1];
  if ((word === 'top' || word === 'bottom' || word === 'first') && /^\d+$/.test(next ?? ''))
    return {
      kind: 'order',
      direction: word === 'bottom' ? 'asc' : 'desc',
      count: Number(next),
      start: i,
      end: i + 2,
      text: `${word} ${next}`,
    };
  if (/^\d+$/.test(word) && next !== undefined && Number(word) <= 100) {
    const order = ORDER_WORDS.find((p) => p.words.length === 1 && p.words[0] === next);
    const superlative = SUPERLATIVE_DIRECTION[next];
    if (order !== undefined)
      return {
        kind: 'order',
        direction: order.meaning,
        count: Number(word),
        start: i,
        end: i + 2,
        text: `${word} ${next}`,
      };
    if (superlative !== undefined)
      // The superlative also names the column ("5 hottest"): only the count is taken here.
      return {
        kind: 'order',
        direction: superlative,
        count: Number(word),
        start: i,
        end: i + 1,
        text: word,
      };
  }
  return null;
}

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}
