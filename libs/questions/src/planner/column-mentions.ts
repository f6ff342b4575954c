import type { PlannerDataset } from './plan';
import { FILLER_WORDS, SUPERLATIVE_DIRECTION, SYNONYMS } from './question-lexicon';
import type { Mention } from './question-mentions';
import { columnParts, isTypo, singular, wordsOf } from './question-words';

/** Words that join others: part of a column's name only together with its other words. */
const STRUCTURE_WORDS = new Set(
  'by per each every across of and or in on to for with vs than over under above below at from'.split(
    ' ',
  ),
);

/** A column's words, singular, with its synonyms' groups (`temp_max` → temp, max). */
export function columnWordsOf(name: string): string[] {
  return columnParts(name).map(singular);
}

/** Whether a question word names a column word: same, plural, synonym, abbreviation or typo. */
export function namesWord(word: string, columnWord: string): boolean {
  const w = singular(word);
  if (w === columnWord || word === columnWord) return true;
  // An abbreviation (`temp` for "temperature"), but not an adverb of it ("yearly" is a bucket).
  if (columnWord.length >= 3 && w.length > columnWord.length && w.startsWith(columnWord))
    return !w.endsWith('ly');
  if (SYNONYMS.some((group) => group.includes(w) && group.includes(columnWord))) return true;
  if (QUALIFIER_SYNONYMS.some((group) => group.includes(w) && group.includes(columnWord)))
    return true;
  return isTypo(w, columnWord) || sharesStem(w, columnWord);
}

/** "generated" and `generation`, "produced" and `production`: one stem of six letters or more. */
function sharesStem(a: string, b: string): boolean {
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return common >= 6 && common >= Math.min(a.length, b.length) - 3;
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
export function columnAt(
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
export function valueIndex(dataset: PlannerDataset): KnownValue[] {
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
  if (word === valueWord || singular(word) === singular(valueWord)) return true;
  if (/^\d+$/.test(valueWord)) return false;
  if (valueWord.length >= 3 && word.startsWith(valueWord) && word.length - valueWord.length <= 3)
    return /^(y|ny|ry|gy|ese|ian|an|n|ish|ern|s|es)$/.test(word.slice(valueWord.length));
  return isTypo(word, valueWord);
}

/** The longest run of question words from `i` that is a value of a text column. */
export function valueAt(
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
  return partialValueAt(words, i, values);
}

/**
 * "nuclear" for `Nuclear Energy`: the first words of a longer value, when they are no
 * function word, one of them has four letters or more, and no other value begins so.
 */
function partialValueAt(
  words: readonly string[],
  i: number,
  values: readonly KnownValue[],
): Mention | null {
  for (let length = 3; length >= 1; length--) {
    if (i + length > words.length) continue;
    const run = words.slice(i, i + length);
    if (run.some((w) => FILLER_WORDS.has(w)) || run.every((w) => w.length < 4)) continue;
    const matches = values.filter(
      (v) => v.words.length > length && run.every((w, k) => namesValueWord(w, v.words[k])),
    );
    if (matches.length !== 1) continue;
    const [chosen] = matches;
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
