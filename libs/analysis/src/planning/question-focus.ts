import type { AnalysisContext } from '../orchestration/analysis-context';
import {
  CUES,
  type FocusSpecialist,
  GROUPING_WORDS,
  PHRASES,
  QUALIFIERS,
  STOPWORDS,
  SYNONYMS,
} from './question-vocabulary';
import { columnParts, isTypo, singular, wordsOf } from '@app/questions';

export type { FocusSpecialist } from './question-vocabulary';

/** A column as the planner sees it: its name, and for text columns their common values. */
export interface FocusColumn {
  name: string;
  /** Frequent values of a categorical column (a question may say `rain` for `weather`). */
  values?: readonly string[];
}

/** What a question asks about, as far as its words tell. */
export interface QuestionFocus {
  /** The columns the question names, in the dataset's order; [] when it names none. */
  columns: string[];
  /** What it asks to look for, in the order it asks; [] when it does not say. */
  specialists: FocusSpecialist[];
  /**
   * How much of the question was recognised, 0–1: the share of its content words (not
   * function words) that named a column, a value or a kind of finding, each weighted by
   * how sure the match is (1 exact or synonym, 0.9 abbreviation or value, 0.7 typo).
   */
  confidence: number;
  /**
   * It names both what to look at and what to look for, and most of it was recognised
   * (confidence ≥ {@link NARROW_CONFIDENCE}): then only what it names needs to run.
   */
  narrow: boolean;
}

/** Below this share of recognised words a question is not trusted to leave anything out. */
export const NARROW_CONFIDENCE = 0.5;

const EXACT = 1;
const ABBREVIATION = 0.9;
const VALUE = 0.9;
const TYPO = 0.7;

const GROUPS = SYNONYMS.map((group) => group.map(singular));
/** Words that may stand between a grouping word and its column ("by the region"). */
const DETERMINERS = new Set(['the', 'a', 'an', 'their', 'its', 'every', 'each']);

/** No focus: there is no question, or it names nothing the planner recognises. */
export const NO_FOCUS: QuestionFocus = {
  columns: [],
  specialists: [],
  confidence: 0,
  narrow: false,
};

/** A question's words: as written (for phrases), singular (for matching), content or not. */
interface Words {
  raw: string[];
  base: string[];
  content: boolean[];
  /** The best match strength found for each word (0: not recognised). */
  recognised: number[];
}

/**
 * The columns and specialists a question names, by words alone (no model): column names
 * split into parts (`temp_max` → temp, max) matched to the question's words exactly, in
 * the singular, through a small synonym table (temperature ≈ temp), as abbreviations
 * (`precip` of precipitation) or as typos (optimal string alignment distance); frequent
 * values of text columns name their column; cue words name specialists ("unusual" →
 * anomalies, "change" → trends, "by region" → segments).
 *
 * Qualifiers (`max`, `min`, `avg`, time words) select nothing alone; among the columns a
 * word names they prefer those they also match when they stand next to it ("maximum
 * temperature" → temp_max only; "temperatures" → temp_max and temp_min).
 */
export function questionFocus(
  question: string | undefined,
  columns: readonly FocusColumn[],
): QuestionFocus {
  const raw = wordsOf(question ?? '');
  if (raw.length === 0) return NO_FOCUS;
  const base = raw.map(singular);
  const words: Words = {
    raw,
    base,
    content: raw.map(
      (word, i) => !STOPWORDS.has(word) && !STOPWORDS.has(base[i]) && !GROUPING_WORDS.has(word),
    ),
    recognised: raw.map(() => 0),
  };

  const specialists = namedSpecialists(words);
  const chosen = namedColumns(words, columns);
  const grouped = [...chosen.values()].some((at) => at.some((i) => afterGrouping(words, i)));
  if (grouped && !specialists.includes('segments')) specialists.push('segments');

  const content = words.recognised.filter((_, i) => words.content[i]);
  const confidence =
    content.length === 0 ? 0 : content.reduce((sum, s) => sum + s, 0) / content.length;
  const named = columns.filter((column) => chosen.has(column.name)).map((c) => c.name);
  return {
    columns: named,
    specialists,
    confidence: Number(confidence.toFixed(2)),
    narrow: named.length > 0 && specialists.length > 0 && confidence >= NARROW_CONFIDENCE,
  };
}

function note(words: Words, index: number, strength: number): void {
  words.recognised[index] = Math.max(words.recognised[index], strength);
}

/** Whether the word at `index` follows "by", "per", "across"... ("by the region"). */
function afterGrouping(words: Words, index: number): boolean {
  let before = index - 1;
  while (before >= 0 && DETERMINERS.has(words.raw[before])) before--;
  return before >= 0 && GROUPING_WORDS.has(words.raw[before]);
}

/** The specialists whose cue words or phrases the question uses, in order of first use. */
function namedSpecialists(words: Words): FocusSpecialist[] {
  const found: Array<{ specialist: FocusSpecialist; at: number }> = [];
  const cues = Object.entries(CUES) as Array<[FocusSpecialist, readonly string[]]>;
  words.base.forEach((word, at) => {
    for (const [specialist, entries] of cues) {
      const strength = Math.max(...entries.map((cue) => cueStrength(word, cue)));
      if (strength === 0) continue;
      found.push({ specialist, at });
      note(words, at, strength);
    }
  });
  const text = words.raw.join(' ');
  for (const [phrase, specialist] of PHRASES) {
    const match = phrase.exec(text);
    if (match === null) continue;
    const at = text.slice(0, match.index).split(' ').length - 1;
    found.push({ specialist, at });
    for (let i = at; i < at + match[0].split(' ').length; i++) note(words, i, EXACT);
  }
  found.sort((a, b) => a.at - b.at);
  return [...new Set(found.map((f) => f.specialist))];
}

function cueStrength(word: string, cue: string): number {
  if (cue.endsWith('*')) return word.startsWith(cue.slice(0, -1)) ? EXACT : 0;
  if (word === cue || word === singular(cue)) return EXACT;
  return cue.length >= 7 && isTypo(word, cue) ? TYPO : 0;
}

/**
 * The columns the question names, each with the positions of the words that named it.
 * A column is named by a word matching one of its parts that is not a qualifier, by
 * words matching all of its parts (a column called `count`), or by one of its values.
 * Among the columns one word names, those its qualifiers also match win.
 */
function namedColumns(words: Words, columns: readonly FocusColumn[]): Map<string, number[]> {
  const qualifierOf = attachQualifiers(words);
  const byWord = new Map<number, Array<{ column: string; refined: number }>>();
  for (const column of columns) {
    const parts = columnParts(column.name).map(singular);
    if (parts.length === 0) continue;
    // matched[p][i]: how surely word i names part p.
    const matched = parts.map((part) =>
      words.base.map((word, i) => (words.content[i] ? partStrength(word, part) : 0)),
    );
    const onlyQualifiers = parts.every((part) => QUALIFIERS.has(part));
    const namesAll = matched.every((row) => row.some((s) => s > 0));
    words.base.forEach((word, index) => {
      let strength = valueStrength(word, words.content[index], column.values);
      parts.forEach((part, p) => {
        if (onlyQualifiers ? namesAll : !QUALIFIERS.has(part))
          strength = Math.max(strength, matched[p][index]);
      });
      if (strength === 0) return;
      note(words, index, strength);
      let refined = 0;
      parts.forEach((part, p) => {
        if (!QUALIFIERS.has(part)) return;
        const by = words.base.findIndex(
          (_, q) => (qualifierOf.get(q) ?? []).includes(index) && matched[p][q] > 0,
        );
        if (by < 0) return;
        refined++;
        note(words, by, matched[p][by]);
      });
      byWord.set(index, [...(byWord.get(index) ?? []), { column: column.name, refined }]);
    });
  }
  const chosen = new Map<string, number[]>();
  for (const [index, named] of byWord) {
    const best = Math.max(...named.map((n) => n.refined));
    for (const { column } of named.filter((n) => n.refined === best))
      chosen.set(column, [...(chosen.get(column) ?? []), index]);
  }
  return chosen;
}

/**
 * Each qualifier word of the question (`max`, `highest`, `average`) with the words it may
 * qualify: the nearest content words that are not qualifiers, on both sides when they are
 * as near ("max wind", "temp max", "temp_max differs").
 */
function attachQualifiers(words: Words): Map<number, number[]> {
  const isQualifier = (i: number) => QUALIFIERS.has(qualifierForm(words.base[i]));
  const attached = new Map<number, number[]>();
  words.base.forEach((_, index) => {
    if (!words.content[index] || !isQualifier(index)) return;
    const others = words.base
      .map((__, other) => other)
      .filter((other) => other !== index && words.content[other] && !isQualifier(other));
    const nearest = Math.min(...others.map((other) => Math.abs(other - index)));
    attached.set(
      index,
      others.filter((other) => Math.abs(other - index) === nearest),
    );
  });
  return attached;
}

/** A qualifier's base form through its synonym group (`highest` → max). */
function qualifierForm(word: string): string {
  if (QUALIFIERS.has(word)) return word;
  const group = GROUPS.find((members) => members.includes(word));
  return group?.find((member) => QUALIFIERS.has(member)) ?? word;
}

/** How surely a question word names a column part (0: it does not). */
function partStrength(word: string, part: string): number {
  if (word === part) return EXACT;
  const groups = GROUPS.filter((members) => members.includes(part));
  if (groups.some((members) => members.includes(word))) return EXACT;
  // Column names abbreviate (`precip`, `temp`); questions now and then do too.
  if (part.length >= 4 && word.length > part.length && word.startsWith(part)) return ABBREVIATION;
  if (word.length >= 4 && part.length > word.length && part.startsWith(word)) return ABBREVIATION;
  if (isTypo(word, part) || groups.some((members) => members.some((m) => isTypo(word, m))))
    return TYPO;
  return 0;
}

/** How surely a question word names one of a column's frequent values (`rain` of `weather`). */
function valueStrength(
  word: string,
  content: boolean,
  values: readonly string[] | undefined,
): number {
  if (!content || word.length < 3 || values === undefined) return 0;
  return values.some((value) => singular(value.toLowerCase()) === word) ? VALUE : 0;
}

/** Most frequent values of a text column that may name it in a question. */
const NAMING_VALUES = 20;

/** A dataset's columns as {@link questionFocus} reads them: text columns with their top values. */
export function focusColumnsOf(dataset: AnalysisContext['dataset']): FocusColumn[] {
  return dataset.columns.map((column) => {
    const profile = dataset.profile.find((p) => p.name === column.name);
    const values =
      column.type === 'string'
        ? (profile?.topValues ?? [])
            .slice(0, NAMING_VALUES)
            .map((top) => top.value)
            .filter((value): value is string => typeof value === 'string')
        : [];
    return values.length === 0 ? { name: column.name } : { name: column.name, values };
  });
}

/**
 * Whether an agent runs for a question (when the request names no agents): every one
 * applicable runs unless the question is narrow; then the specialists it names, the
 * summary, and `profile`, whose data-quality issues qualify any answer and which reads
 * the stored profile only.
 */
export function focusRuns(focus: QuestionFocus | undefined, agent: string): boolean {
  if (focus?.narrow !== true || agent === 'profile' || agent === 'summary') return true;
  return (focus.specialists as readonly string[]).includes(agent);
}
