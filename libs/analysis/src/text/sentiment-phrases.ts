/**
 * What the word lexicons (VADER, AFINN) cannot say by themselves: fixed phrases whose
 * meaning is not the sum of their words, and common evaluative words of reviews that
 * neither rates. Valences on VADER's −4…4 scale ("good" 1.9, "bad" −2.5).
 */

/**
 * Phrases rated as a whole (VADER's "special case idioms", extended with the review idioms
 * of the same kind). Words are matched lower-cased without apostrophes, so "can't", "cant"
 * and "can’t" are one. A phrase's words are neither negations nor rated on their own: "can't
 * wait" is eagerness, "to die for" praise, "at best" a verdict that caps what it follows.
 */
export const IDIOMS: ReadonlyArray<readonly [string, number]> = [
  // VADER's own.
  ['the shit', 3],
  ['the bomb', 3],
  ['bad ass', 1.5],
  ['yeah right', -2],
  ['cut the mustard', 2],
  ['kiss of death', -1.5],
  ['hand to mouth', -2],
  // A negated modal with a comparative or "wait"/"beat"/"go wrong" reads as a superlative.
  ['cant wait', 2],
  ['cannot wait', 2],
  ['can not wait', 2],
  ['couldnt wait', 1.5],
  ['cant beat', 2],
  ['cannot beat', 2],
  ['cant go wrong', 2],
  ['cannot go wrong', 2],
  ['couldnt be happier', 3],
  ['could not be happier', 3],
  ['couldnt be better', 3],
  ['could not be better', 3],
  ['cant complain', 1],
  ['cant say enough', 2],
  ['cannot say enough', 2],
  ['no complaints', 2],
  ['to die for', 3],
  ['thumbs up', 2],
  ['thumbs down', -2],
  // A verdict that caps what it follows: "average at best", "fair at best".
  ['at best', -1.5],
  // An unfavourable comparison: the writer had or expected better elsewhere.
  ['had better', -1.5],
  ['expect better', -1.5],
  ['expected better', -1.5],
  ['expect more', -1.5],
  ['expected more', -1.5],
  ['deserve better', -1.5],
  // Advice to go elsewhere.
  ['stay away', -2],
  ['look elsewhere', -2],
  ['go elsewhere', -2],
  ['a joke', -1.5],
  ['never again', -2],
];

/**
 * Intent to return, a reviewer's commonest verdict: positive, and negated like any rated
 * word ("won't be back" is a shift of "be back" to the other side).
 */
export const RETURN_PHRASES: ReadonlyArray<readonly [string, number]> = [
  ['be back', 1.5],
  ['go back', 1.5],
  ['come back', 1.5],
  ['going back', 1.5],
  ['coming back', 1.5],
];

/**
 * Evaluative words of product, service, food and film reviews that neither VADER nor
 * AFINN-165 rates, at a moderate strength (the lexicons' "good" and "bad" are ±1.9…2.5).
 */
export const REVIEW_WORDS: ReadonlyArray<readonly [string, number]> = [
  ...[
    'bland',
    'stale',
    'mediocre',
    'overrated',
    'overpriced',
    'underwhelming',
    'lukewarm',
    'tasteless',
    'flavorless',
    'flavourless',
    'soggy',
    'greasy',
    'rubbery',
    'overcooked',
    'burnt',
    'inedible',
    'slow',
    'flimsy',
    'overhyped',
    'unwatchable',
    'clunky',
    'subpar',
    'overdone',
    'mushy',
  ].map((word): [string, number] => [word, -1.5]),
  ...[
    'tasty',
    'flavorful',
    'flavourful',
    'delish',
    'attentive',
    'prompt',
    'knowledgeable',
    'sturdy',
    'crisp',
    'juicy',
    'authentic',
    'cozy',
    'immaculate',
    'impeccable',
    'intuitive',
    'captivating',
    'underrated',
    'refreshing',
  ].map((word): [string, number] => [word, 1.5]),
];

/**
 * Verbs that raise a negation out of the clause they take: "I don't think it's good" means
 * "I think it's not good" (neg-raising; Horn, "A Natural History of Negation", 1989).
 */
export const NEG_RAISING = new Set(['think', 'believe', 'suppose', 'expect', 'imagine', 'reckon']);

/**
 * Colloquial intensifiers that the lexicons rate negative ("damn", "insanely"): right
 * before a rated word they grade it ("insanely good"), like any "-ly" adverb of degree.
 */
export const SLANG_INTENSIFIERS = new Set([
  'damn',
  'dang',
  'crazy',
  'wicked',
  'super',
  'freaking',
  'seriously',
]);
