import afinn from 'sentiment/languages/en/labels.json';
import emoji from 'sentiment/build/emoji.json';
import { lexicon as vader } from 'vader-sentiment/src/vader_lexicon.js';
import { REVIEW_WORDS } from './sentiment-phrases';

export interface SentimentLexicon {
  /** Word, emoticon or emoji → valence on VADER's −4…4 scale. */
  valences: Map<string, number>;
}

/** Degree adverbs and their push on a valence (VADER's BOOSTER_DICT: B_INCR / B_DECR, 0.293). */
export const BOOSTERS = new Map<string, number>([
  ...[
    'absolutely',
    'amazingly',
    'awfully',
    'completely',
    'considerably',
    'decidedly',
    'deeply',
    'effing',
    'enormously',
    'entirely',
    'especially',
    'exceptionally',
    'extremely',
    'fabulously',
    'flippin',
    'flipping',
    'frickin',
    'fricking',
    'friggin',
    'frigging',
    'fucking',
    'fully',
    'greatly',
    'hella',
    'highly',
    'hugely',
    'incredibly',
    'intensely',
    'majorly',
    'more',
    'most',
    'particularly',
    'purely',
    'quite',
    'really',
    'remarkably',
    'so',
    'substantially',
    'thoroughly',
    'totally',
    'tremendously',
    'uber',
    'unbelievably',
    'unusually',
    'utterly',
    'very',
  ].map((word): [string, number] => [word, 0.293]),
  ...[
    'almost',
    'barely',
    'hardly',
    'kinda',
    'kindof',
    'less',
    'little',
    'marginally',
    'occasionally',
    'partly',
    'scarcely',
    'slightly',
    'somewhat',
    'sorta',
    'sortof',
  ].map((word): [string, number] => [word, -0.293]),
]);

/** Negations (VADER's list; any word ending in "n't" counts too). */
export const NEGATORS = new Set([
  'aint',
  'arent',
  'cannot',
  'cant',
  'couldnt',
  'darent',
  'didnt',
  'doesnt',
  'dont',
  'hadnt',
  'hasnt',
  'havent',
  'isnt',
  'mightnt',
  'mustnt',
  'neither',
  'neednt',
  'never',
  'no',
  'none',
  'nope',
  'nor',
  'not',
  'nothing',
  'nowhere',
  'oughtnt',
  'shant',
  'shouldnt',
  'wasnt',
  'werent',
  'without',
  'wont',
  'wouldnt',
  'rarely',
  'seldom',
  'despite',
]);

/** Words after which the clause weighs more than the one before. */
export const CONTRAST_AFTER = new Set(['but', 'however', 'nevertheless', 'nonetheless']);
/** Words that open a clause conceded, and so weighing less. */
export const CONCESSIVE = new Set(['although', 'though']);

let loaded: SentimentLexicon | undefined;

/**
 * VADER's lexicon (7,500 words, emoticons and slang rated −4…4 by ten people each; MIT,
 * shipped in the `vader-sentiment` package), with the words of AFINN-165 (Nielsen 2011;
 * −5…5, scaled by 4/5) that VADER lacks, and emoji rated by the Emoji Sentiment Ranking
 * (Kralj Novak et al. 2015; −3…3 in the `sentiment` package, scaled by 4/3), and the
 * review words neither rates ({@link REVIEW_WORDS}). Read once.
 */
export function sentimentLexicon(): SentimentLexicon {
  if (loaded !== undefined) return loaded;
  const valences = new Map<string, number>(Object.entries(vader));
  for (const [word, value] of Object.entries(afinn as Record<string, number>)) {
    if (!valences.has(word)) valences.set(word, (value * 4) / 5);
  }
  for (const [symbol, value] of Object.entries(emoji as Record<string, number>)) {
    if (!valences.has(symbol) && value !== 0)
      valences.set(symbol.replace(/\uFE0F/g, ''), (value * 4) / 3);
  }
  for (const [word, value] of REVIEW_WORDS) if (!valences.has(word)) valences.set(word, value);
  loaded = { valences };
  return loaded;
}

/**
 * The valence of `word`, or of its stem when the word itself is not rated: a plural, a
 * past or a gerund ("lacking" → "lack"), an adverb in -ly; a word in "un-" whose stem is
 * rated is that stem negated ("unrecommended"). 0 when none is rated.
 */
export function lookUp(lexicon: SentimentLexicon, word: string): number {
  const exact = lexicon.valences.get(word);
  if (exact !== undefined) return exact;
  if (word.length < 5 || !/^[a-z'-]+$/.test(word)) return 0;
  for (const stem of stems(word)) {
    const value = lexicon.valences.get(stem);
    if (value !== undefined) return value;
  }
  if (word.startsWith('un')) {
    const value = lexicon.valences.get(word.slice(2));
    if (value !== undefined) return value * -0.74;
  }
  return 0;
}

function stems(word: string): string[] {
  const found: string[] = [];
  const strip = (suffix: string, ...endings: string[]) => {
    if (!word.endsWith(suffix) || word.length - suffix.length < 3) return;
    const base = word.slice(0, -suffix.length);
    for (const ending of endings) found.push(base + ending);
    // A doubled last consonant ("stopped" → "stop").
    if (/([b-df-hj-np-tv-z])\1$/.test(base)) found.push(base.slice(0, -1));
  };
  strip('ies', 'y');
  strip('ied', 'y');
  strip('es', '');
  strip('s', '');
  strip('ed', '', 'e');
  strip('ing', '', 'e');
  strip('ly', '', 'le');
  strip('ness', '');
  return found;
}
