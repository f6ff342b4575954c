import type { PlannerDataset } from './plan';
import { columnAt, columnWordsOf, valueAt, valueIndex } from './column-mentions';
import { FILLER_WORDS, ROW_WORDS, UNIT_WORDS } from './question-lexicon';
import {
  calendarAt,
  lastAt,
  numberAt,
  periodAt,
  phraseAt,
  rangeAt,
  topAt,
} from './phrase-mentions';
import { type Mention, tokensOf } from './question-mentions';
import { isTypo, singular, wordsOf } from './question-words';

export { type Mention, type QuestionToken, tokensOf } from './question-mentions';

/** Nouns that follow a column and add nothing ("weather type", "wind speed"). */
const COLUMN_NOUNS = new Set(
  'type kind category class group level value condition speed reading figure amount rate'.split(
    ' ',
  ),
);
/**
 * What a dataset's name says about its rows. A one-word name (`penguins`, `birdstrikes`)
 * is the noun for its rows, and so are its tails ("strikes") and their typos; in a longer
 * name (`seattle-weather`, `unemployment-across-industries`) the leading words only
 * qualify and may be skipped, and the last is left to the columns: it may name one.
 */
function datasetNameWords(name: string): {
  single: string | undefined;
  modifiers: Set<string>;
  rows: (word: string) => boolean;
} {
  const words = wordsOf(name.replace(/\.[a-z0-9]+$/i, '')).map(singular);
  const single = words.length === 1 && words[0].length >= 3 ? words[0] : undefined;
  const modifiers = new Set(words.length > 1 ? words.slice(0, -1) : []);
  // A tail of the name as long as the word (or one longer, for a dropped letter).
  const rows = (word: string) =>
    single !== undefined &&
    (word === single ||
      isTypo(word, single) ||
      (word.length >= 4 &&
        [0, 1].some((extra) => {
          const tail = single.slice(-(word.length + extra));
          return tail === word || isTypo(word, tail);
        })));
  return { single, modifiers, rows };
}
/** A function word, or a typo of a longer one ("whcih", "whta"). */
function isFiller(word: string): boolean {
  if (FILLER_WORDS.has(word)) return true;
  return word.length >= 5 && [...FILLER_WORDS].some((filler) => isTypo(word, filler));
}

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
  const names = datasetNameWords(dataset.name);
  const hasTime = dataset.columns.some((c) => TIME_TYPES.has(c.type));
  const mentions: Mention[] = [];
  let i = 0;
  while (i < tokens.length) {
    const found =
      periodAt(words, i) ??
      calendarAt(words, i) ??
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
    // "bird strikes" in `birdstrikes`: the dataset's own noun for its rows.
    if (names.single !== undefined && words[i + 1] !== undefined) {
      const joined = singular(words[i] + words[i + 1]);
      if (joined === names.single || isTypo(joined, names.single)) {
        mentions.push({
          kind: 'rows',
          start: i,
          end: i + 2,
          text: `${tokens[i].raw} ${tokens[i + 1].raw}`,
        });
        i += 2;
        continue;
      }
    }
    const word = singular(words[i]);
    const afterColumn = mentions[mentions.length - 1]?.kind === 'column';
    // "kind of weather", "type of car": the noun and its "of" before a column.
    const beforeColumn =
      words[i + 1] === 'of' && columnAt(words, i + 2, columns) !== null && COLUMN_NOUNS.has(word);
    const kind =
      isFiller(words[i]) ||
      names.modifiers.has(word) ||
      UNIT_WORDS.has(words[i]) ||
      beforeColumn ||
      (afterColumn && COLUMN_NOUNS.has(word))
        ? 'filler'
        : ROW_WORDS.has(word) ||
            names.rows(word) ||
            (hasTime && ['day', 'date', 'hour', 'week', 'month', 'year'].includes(word))
          ? 'rows'
          : 'unknown';
    mentions.push({ kind, start: i, end: i + 1, text: tokens[i].raw });
    i++;
  }
  return mentions;
}
