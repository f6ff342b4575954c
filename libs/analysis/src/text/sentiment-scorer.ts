import {
  BOOSTERS,
  CONTRAST_AFTER,
  CONCESSIVE,
  lookUp,
  NEGATORS,
  type SentimentLexicon,
  sentimentLexicon,
} from './sentiment-lexicon';
import { IDIOMS, NEG_RAISING, RETURN_PHRASES, SLANG_INTENSIFIERS } from './sentiment-phrases';

/** How far a booster moves a word's valence, and an all-caps word's (Hutto & Gilbert 2014). */
const CAPS_INCREMENT = 0.733;
/**
 * A negation shifts a valence this far towards the other side rather than flipping it:
 * "not excellent" is not "terrible", "not bad" is mildly good (Taboada et al., "Lexicon-
 * Based Methods for Sentiment Analysis", Computational Linguistics 37, 2011: 4 on their
 * −5…5 scale, here on VADER's −4…4).
 */
const NEGATION_SHIFT = 3.2;
/**
 * Negative valences weigh half again as much: lexicons lean positive, and reviewers
 * soften criticism with positive words (Taboada et al. 2011, "negative weighting").
 */
const NEGATIVE_WEIGHT = 1.5;
/** Each of up to four `!` adds this to the text's magnitude (VADER). */
const EXCLAMATION_INCREMENT = 0.292;
/** Normalises a sum of valences into −1…1 as x / √(x² + α) (VADER's α). */
const NORMALISE_ALPHA = 15;
/** The clause before `but` counts half, the one after one and a half times (VADER). */
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
/**
 * The valence given to a text with no polarity word but a negation ("it didn't work",
 * "never again"): negation is itself a marker of negative opinion in reviews (Potts,
 * "On the negativity of negation", SALT 20, 2010), weaker than any lexicon word.
 */
const BARE_NEGATION_VALENCE = -0.5;

/**
 * "too" before a word ("too small", "way too long", "paid too much") says the thing
 * exceeds what the writer wanted: an evaluation against it (Meier, "The meaning of too,
 * enough, and so … that", Natural Language Semantics 11, 2003), rated like a mild
 * negative word ("bad" is −2.5).
 */
const EXCESS_VALENCE = -1;

export interface SentimentScore {
  /** −1…1: VADER's normalised compound score. */
  score: number;
  /** Lexicon words (and emoji, emoticons) that carried polarity. */
  cues: number;
}

/** "pretty" before an adjective is a degree adverb that tones it down ("pretty good"). */
const PRETTY_DAMPENER = -0.293;
/** A rated "-ly" adverb or slang intensifier before a rated word grades it (VADER's B_INCR). */
const INTENSIFIER_BOOST = 0.293;
/** Suffixes of adjectives and adverbs: "pretty" before such a word is an adverb. */
const ADJECTIVE_SUFFIX = /(?:y|ed|ly|ful|less|ous|ive|able|ible|al|ic|ish)$/;
/**
 * Words before which "like" is a verb ("I like", "would like", "didn't like"); elsewhere it
 * is the preposition of a comparison ("tasted like rubber"), which rates nothing.
 */
const LIKE_SUBJECTS = new Set([
  'i',
  'we',
  'you',
  'they',
  'he',
  'she',
  'people',
  'everyone',
  'who',
  'would',
  'will',
  'to',
  'do',
  'does',
  'did',
  'really',
  'also',
  'definitely',
  'totally',
  'still',
  'always',
  'truly',
  'actually',
  'might',
  'may',
  'should',
  'could',
]);

interface Token {
  /** Lower-cased, punctuation stripped (an emoticon or emoji is kept as it is). */
  lower: string;
  /** The token as written, punctuation stripped: for all-caps emphasis. */
  raw: string;
  /** A clause boundary (`,` `;` `:` `.`) follows this token. */
  clauseEnd: boolean;
}

/**
 * A token's part in a rated phrase: the first word carries the phrase's valence; an idiom
 * is neither negated nor boosted as a whole, a return phrase is ("won't be back").
 */
interface PhrasePart {
  valence: number;
  idiom: boolean;
}

/** A text as the scorer reads it. */
interface Reading {
  tokens: Token[];
  phrases: Array<PhrasePart | undefined>;
  capsDiffer: boolean;
  lexicon: SentimentLexicon;
}

const EMOJI = /\p{Extended_Pictographic}/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/**
 * Sentiment of a short text (a sentence, a review), after VADER (Hutto & Gilbert,
 * "VADER: A Parsimonious Rule-based Model for Sentiment Analysis of Social Media Text",
 * ICWSM 2014): lexicon valences adjusted by the three words before each (boosters such
 * as "very" and dampeners such as "slightly", negations such as "not", "never",
 * "didn't"), all-caps emphasis, contrast (the clause after "but"/"however" weighs more,
 * a concessive "although …" clause less), exclamation marks; emoji and emoticons are
 * lexicon entries. A text with no polarity word but a negation leans negative (see
 * {@link BARE_NEGATION_VALENCE}). Phrases are rated as wholes ({@link IDIOMS}, "can't
 * wait", "at best"), and a word is rated only in its evaluative use: "like" as a verb, not
 * a comparison; "pretty" and "insanely" before an adjective grade it.
 */
export function scoreSentiment(
  text: string,
  lexicon: SentimentLexicon = sentimentLexicon(),
): SentimentScore {
  const tokens = tokenize(text, lexicon);
  const reading: Reading = {
    tokens,
    phrases: findPhrases(tokens),
    capsDiffer: hasCapsDifference(tokens),
    lexicon,
  };
  const valences = tokens.map((_token, at) => valence(reading, at));
  const cues = valences.filter((v) => v !== 0).length;
  weighContrast(tokens, valences);
  let sum = valences.reduce((total, v) => total + v, 0);
  if (cues === 0 && tokens.some((_token, at) => negates(reading, at))) {
    sum = BARE_NEGATION_VALENCE;
  }
  if (sum !== 0) {
    const exclamations = Math.min(4, (text.match(/!/g) ?? []).length);
    sum += Math.sign(sum) * exclamations * EXCLAMATION_INCREMENT;
  }
  return { score: sum / Math.sqrt(sum * sum + NORMALISE_ALPHA), cues };
}

function tokenize(text: string, lexicon: SentimentLexicon): Token[] {
  const tokens: Token[] = [];
  // Emoji stuck to a word ("great😊") are tokens of their own.
  const spaced = text.replace(/(\p{Extended_Pictographic}\uFE0F?)/gu, ' $1 ');
  for (const piece of spaced.split(/\s+/)) {
    if (piece === '') continue;
    if (lexicon.valences.has(piece) || EMOJI.test(piece)) {
      tokens.push({ lower: piece.replace(/\uFE0F/g, ''), raw: piece, clauseEnd: false });
      continue;
    }
    // Words joined by punctuation without a space ("boring,pointless", "star.I") are split.
    for (const part of piece.split(/(?=[^\p{L}\p{N}'’*-])|(?<=[^\p{L}\p{N}'’*-])/u)) {
      const raw = part.replace(EDGE_PUNCTUATION, '');
      if (raw.length === 0) {
        if (tokens.length > 0 && /[,;:.!?]/.test(part)) tokens[tokens.length - 1].clauseEnd = true;
        continue;
      }
      tokens.push({ lower: raw.toLowerCase().replace(/’/g, "'"), raw, clauseEnd: false });
    }
  }
  return tokens;
}

/** Some words are in capitals and some are not: then capitals are emphasis (VADER). */
function hasCapsDifference(tokens: Token[]): boolean {
  const words = tokens.filter((token) => /\p{L}/u.test(token.raw));
  const caps = words.filter((token) => isShouting(token.raw)).length;
  return caps > 0 && caps < words.length;
}

function isShouting(word: string): boolean {
  return word.length > 1 && word === word.toUpperCase() && word !== word.toLowerCase();
}

function isNegator(word: string): boolean {
  return NEGATORS.has(word) || word.endsWith("n't");
}

/** Phrase words, in lower case without apostrophes, by their first word. */
const PHRASES = new Map<string, Array<{ words: string[]; valence: number; idiom: boolean }>>();
for (const [list, idiom] of [
  [IDIOMS, true],
  [RETURN_PHRASES, false],
] as const) {
  for (const [phrase, valence] of list) {
    const words = phrase.split(' ');
    const first = words[0] ?? '';
    PHRASES.set(first, [...(PHRASES.get(first) ?? []), { words, valence, idiom }]);
  }
}

const bare = (word: string) => word.replace(/'/g, '');

/** Each token's part in a rated phrase, the longest match first, phrases not overlapping. */
function findPhrases(tokens: Token[]): Array<PhrasePart | undefined> {
  const parts: Array<PhrasePart | undefined> = new Array<PhrasePart | undefined>(tokens.length);
  for (let at = 0; at < tokens.length; at++) {
    const candidates = PHRASES.get(bare(tokens[at].lower)) ?? [];
    const match = candidates
      .filter(({ words }) =>
        words.every(
          (word, k) =>
            bare(tokens[at + k]?.lower ?? '') === word &&
            (k === words.length - 1 || !tokens[at + k].clauseEnd),
        ),
      )
      .sort((a, b) => b.words.length - a.words.length)[0];
    if (match === undefined) continue;
    parts[at] = { valence: match.valence, idiom: match.idiom };
    for (let k = 1; k < match.words.length; k++) parts[at + k] = { valence: 0, idiom: true };
    at += match.words.length - 1;
  }
  return parts;
}

/**
 * How `tokens[at]` grades the word after it, when it is a degree word there: a booster or
 * dampener, "pretty" before an adjective, a rated "-ly" adverb or slang intensifier before a
 * rated word ("insanely good", "damn good"). Undefined when it is not one.
 */
function degree({ tokens, lexicon }: Reading, at: number): number | undefined {
  const token = tokens[at];
  const boost = BOOSTERS.get(token.lower);
  if (boost !== undefined) return boost;
  const next = tokens[at + 1];
  if (next === undefined || token.clauseEnd) return undefined;
  if (token.lower === 'pretty')
    return lookUp(lexicon, next.lower) !== 0 ||
      BOOSTERS.has(next.lower) ||
      ADJECTIVE_SUFFIX.test(next.lower)
      ? PRETTY_DAMPENER
      : undefined;
  if (
    (SLANG_INTENSIFIERS.has(token.lower) || token.lower.endsWith('ly')) &&
    lookUp(lexicon, token.lower) < 0 &&
    lookUp(lexicon, next.lower) !== 0
  )
    return INTENSIFIER_BOOST;
  return undefined;
}

/** "like" after a subject, an auxiliary or a negation: the verb, not a comparison. */
function isLikeVerb(tokens: Token[], at: number): boolean {
  const previous = tokens[at - 1];
  if (previous === undefined || previous.clauseEnd) return false;
  const word = previous.lower;
  return LIKE_SUBJECTS.has(word) || word.endsWith("'d") || word.endsWith("'ll") || isNegator(word);
}

/** The valence of `tokens[at]` in its context (VADER's `sentiment_valence`). */
function valence(reading: Reading, at: number): number {
  const { tokens, capsDiffer, lexicon } = reading;
  const token = tokens[at];
  const phrase = reading.phrases[at];
  if (phrase?.idiom === true)
    return phrase.valence < 0 ? phrase.valence * NEGATIVE_WEIGHT : phrase.valence;
  if (phrase === undefined && degree(reading, at) !== undefined) return 0;
  if (token.lower === 'too') return isExcess(tokens, at) ? EXCESS_VALENCE : 0;
  if (token.lower === 'like' && !isLikeVerb(tokens, at)) return 0;
  let value = phrase?.valence ?? lookUp(lexicon, token.lower);
  if (value === 0) return 0;
  // "no" as a determiner before a word with valence is a negation, not a negative word.
  if (token.lower === 'no' && at + 1 < tokens.length && lexicon.valences.has(tokens[at + 1].lower))
    return 0;
  if (capsDiffer && isShouting(token.raw)) value += Math.sign(value) * CAPS_INCREMENT;
  if (raisedNegation(reading, at)) value -= Math.sign(value) * NEGATION_SHIFT;
  for (let back = 1; back <= 3 && at - back >= 0; back++) {
    const before = tokens[at - back];
    // A clause boundary ends the reach of a booster or a negation ("not bad, good" is good).
    if (before.clauseEnd) break;
    if (negates(reading, at - back)) {
      // "Don't waste your money" warns off something bad: the warning is not praise.
      if (!(value < 0 && isProhibitive(tokens, at - back)))
        value -= Math.sign(value) * NEGATION_SHIFT;
      continue;
    }
    const boost = reading.phrases[at - back] === undefined ? degree(reading, at - back) : undefined;
    if (boost !== undefined) {
      let scaled = boost * Math.sign(value);
      if (capsDiffer && isShouting(before.raw)) scaled += Math.sign(scaled) * CAPS_INCREMENT;
      value += scaled * (back === 1 ? 1 : back === 2 ? 0.95 : 0.9);
    }
  }
  return value < 0 ? value * NEGATIVE_WEIGHT : value;
}

/** Words a raised negation reaches back over (a clause's worth; bounded, so linear). */
const RAISED_NEGATION_REACH = 10;

/**
 * A negation before a neg-raising verb earlier in the clause, beyond the three words a
 * negation reaches: "I don't think we'll be going back".
 */
function raisedNegation(reading: Reading, at: number): boolean {
  const { tokens } = reading;
  for (let back = 4; back <= RAISED_NEGATION_REACH && at - back >= 0; back++) {
    const before = tokens[at - back];
    if (before.clauseEnd) return false;
    if (negates(reading, at - back) && NEG_RAISING.has(tokens[at - back + 1]?.lower ?? ''))
      return true;
  }
  return false;
}

/**
 * `tokens[at]` is a negation ("not", "never", "didn't"), but not "not only"/"not just", nor
 * the hedge "not too …" (which negates the excess, not the word after it).
 */
function negates({ tokens, phrases }: Reading, at: number): boolean {
  // A negation inside an idiom ("can't wait") belongs to the idiom.
  if (phrases[at]?.idiom === true) return false;
  const word = tokens[at].lower;
  if (!isNegator(word)) return false;
  const next = tokens[at + 1]?.lower;
  return !(next === 'too' || (word === 'not' && (next === 'only' || next === 'just')));
}

/** `tokens[at]` opens a prohibitive: "don't …", "do not …", "never …" starting a clause. */
function isProhibitive(tokens: Token[], at: number): boolean {
  const word = tokens[at].lower;
  let start = at;
  if (word === 'not' && tokens[at - 1]?.lower === 'do') start = at - 1;
  else if (!["don't", 'dont', 'never'].includes(word)) return false;
  const previous = tokens[start - 1];
  return (
    previous === undefined ||
    previous.clauseEnd ||
    ['and', 'so', 'just', 'please', 'but'].includes(previous.lower)
  );
}

/** `tokens[at]` is "too" modifying the next word (not "me too" at a clause's end). */
function isExcess(tokens: Token[], at: number): boolean {
  return (
    !tokens[at].clauseEnd && at + 1 < tokens.length && !(at > 0 && isNegator(tokens[at - 1].lower))
  );
}

/**
 * Weighs clauses by contrast, in place: before "but"/"however" half, after one and a half
 * times; a clause opened by "although"/"though"/"even though" (to its comma) half.
 */
function weighContrast(tokens: Token[], valences: number[]): void {
  const pivot = tokens.findIndex((token) => CONTRAST_AFTER.has(token.lower));
  if (pivot > 0) {
    for (let at = 0; at < valences.length; at++) {
      if (at < pivot) valences[at] = valences[at] * BEFORE_CONTRAST;
      else if (at > pivot) valences[at] = valences[at] * AFTER_CONTRAST;
    }
  }
  for (let at = 0; at < tokens.length; at++) {
    if (!CONCESSIVE.has(tokens[at].lower)) continue;
    for (let inner = at + 1; inner < tokens.length; inner++) {
      valences[inner] = valences[inner] * BEFORE_CONTRAST;
      if (tokens[inner].clauseEnd) break;
    }
  }
}
