import type { ColumnProfile } from '@app/datasets';

/**
 * Fewest distinct values per non-empty value for prose: on average a value appears at most
 * twice. Categorical codes repeat (Seattle's `weather`: 5 values in 1,461 rows, 0.003).
 */
export const PROSE_MIN_DISTINCT_RATIO = 0.5;
/**
 * Most levels a categorical column has (as the segments specialist reads one): a column
 * of more distinct values than this is not a category, even when they repeat (templated
 * or machine-written sentences: log lines, notes).
 */
export const CATEGORICAL_MAX_LEVELS = 50;
/**
 * Fewest words per value, on average over the column's most frequent values: a sentence
 * has a subject, a verb and more; a name, a code, an id or an e-mail has one or two.
 */
export const PROSE_MIN_WORDS = 3;
/** Characters of a value whose words are counted: enough to tell a sentence, bounded. */
const WORD_COUNT_CHARACTERS = 2000;

/** What the rule reads of a column's stored profile. */
export type ProseEvidence = Pick<
  ColumnProfile,
  'type' | 'count' | 'nullCount' | 'distinctCount' | 'topValues'
>;

/** Whether `value` is empty or whitespace only (`trim() === ''`), without copying it. */
const isBlank = (value: string): boolean => !/\S/.test(value);

/** Words (runs with a letter or digit) in the first {@link WORD_COUNT_CHARACTERS} of `value`. */
function wordsOf(value: string): number {
  return value
    .slice(0, WORD_COUNT_CHARACTERS)
    .split(/\s+/)
    .filter((word) => /[\p{L}\p{N}]/u.test(word)).length;
}

/**
 * Whether a text column holds prose — sentences people wrote, worth reading for sentiment,
 * keyphrases and entities — rather than categorical codes, names or ids. From the stored
 * profile alone (no query), empty strings set aside: it is no category (more than
 * {@link CATEGORICAL_MAX_LEVELS} distinct values, or values that seldom repeat: distinct /
 * non-empty ≥ {@link PROSE_MIN_DISTINCT_RATIO}), and its most frequent values have
 * {@link PROSE_MIN_WORDS} or more words on average (each weighted by its count).
 */
export function isProse(profile: ProseEvidence): boolean {
  if (profile.type !== 'string') return false;
  const top = profile.topValues.filter(
    (entry): entry is { value: string; count: number } => typeof entry.value === 'string',
  );
  const empties = top.find((entry) => isBlank(entry.value))?.count ?? 0;
  const values = profile.count - profile.nullCount - empties;
  const distinct = profile.distinctCount - (empties > 0 ? 1 : 0);
  if (values <= 0) return false;
  if (distinct <= CATEGORICAL_MAX_LEVELS && distinct / values < PROSE_MIN_DISTINCT_RATIO)
    return false;
  const written = top.filter((entry) => !isBlank(entry.value));
  const weight = written.reduce((sum, entry) => sum + entry.count, 0);
  if (weight === 0) return false;
  const words = written.reduce((sum, entry) => sum + wordsOf(entry.value) * entry.count, 0);
  return words / weight >= PROSE_MIN_WORDS;
}

/**
 * {@link isProse} of each stored profile, decided once: an analysis asks several times (the
 * agents, the text tool's budget, the input screen), and a column's top values may be 1 MiB
 * each, which would hold the event loop for each of them (analysis-input-bounds.spec.ts).
 */
const proseByProfile = new WeakMap<ProseEvidence, boolean>();

/** The text columns of a dataset that hold prose ({@link isProse}), in column order. */
export function proseColumns(dataset: {
  columns: ReadonlyArray<{ name: string; type: string }>;
  profile: ReadonlyArray<ProseEvidence & { name: string }>;
}): string[] {
  return dataset.columns
    .filter((column) => {
      if (column.type !== 'string') return false;
      const profile = dataset.profile.find((p) => p.name === column.name);
      if (profile === undefined) return false;
      let prose = proseByProfile.get(profile);
      if (prose === undefined) {
        prose = isProse(profile);
        proseByProfile.set(profile, prose);
      }
      return prose;
    })
    .map((column) => column.name);
}
