import {
  BOOSTERS,
  CONTRAST_AFTER,
  CONCESSIVE,
  lookUp,
  NEGATORS,
  type SentimentLexicon,
  sentimentLexicon,
} from './sentiment-lexicon';

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
const NORMALIZE_ALPHA = 15;
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

interface Token {
  /** Lower-cased, punctuation stripped (an emoticon or emoji is kept as it is). */
  lower: string;
  /** The token as written, punctuation stripped: for all-caps emphasis. */
  raw: string;
  /** A clause boundary (`,` `;` `:` `.`) follows this token. */
  clauseEnd: boolean;
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
 * {@link BARE_NEGATION_VALENCE}).
 */
export function scoreSentiment(
  text: string,
  lexicon: SentimentLexicon = sentimentLexicon(),
): SentimentScore {
  const tokens = tokenize(text, lexicon);
  const capsDiffer = hasCapsDifference(tokens);
  const valences = tokens.map((_token, at) => valence(tokens, at, capsDiffer, lexicon));
  const cues = valences.filter((v) => v !== 0).length;
  weighContrast(tokens, valences);
  let sum = valences.reduce((total, v) => total + v, 0);
  if (cues === 0 && tokens.some((_token, at) => negates(tokens, at))) {
    sum = BARE_NEGATION_VALENCE;
  }
  if (sum !== 0) {
    const exclamations = Math.min(4, (text.match(/!/g) ?? []).length);
    sum += Math.sign(sum) * exclamations * EXCLAMATION_INCREMENT;
  }
  return { score: sum / Math.sqrt(sum * sum + NORMALIZE_ALPHA), cues };
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

/** The valence of `tokens[at]` in its context (VADER's `sentiment_valence`). */
function valence(
  tokens: Token[],
  at: number,
  capsDiffer: boolean,
  lexicon: SentimentLexicon,
): number {
  const token = tokens[at];
  if (BOOSTERS.has(token.lower)) return 0;
  if (token.lower === 'too') return isExcess(tokens, at) ? EXCESS_VALENCE : 0;
  let value = lookUp(lexicon, token.lower);
  if (value === 0) return 0;
  // "no" as a determiner before a word with valence is a negation, not a negative word.
  if (token.lower === 'no' && at + 1 < tokens.length && lexicon.valences.has(tokens[at + 1].lower))
    return 0;
  if (capsDiffer && isShouting(token.raw)) value += Math.sign(value) * CAPS_INCREMENT;
  for (let back = 1; back <= 3 && at - back >= 0; back++) {
    const before = tokens[at - back];
    // A clause boundary ends the reach of a booster or a negation ("not bad, good" is good).
    if (before.clauseEnd) break;
    if (negates(tokens, at - back)) {
      // "Don't waste your money" warns off something bad: the warning is not praise.
      if (!(value < 0 && isProhibitive(tokens, at - back)))
        value -= Math.sign(value) * NEGATION_SHIFT;
      continue;
    }
    const boost = BOOSTERS.get(before.lower);
    if (boost !== undefined) {
      let scaled = boost * Math.sign(value);
      if (capsDiffer && isShouting(before.raw)) scaled += Math.sign(scaled) * CAPS_INCREMENT;
      value += scaled * (back === 1 ? 1 : back === 2 ? 0.95 : 0.9);
    }
  }
  return value < 0 ? value * NEGATIVE_WEIGHT : value;
}

/**
 * `tokens[at]` is a negation ("not", "never", "didn't"), but not "not only"/"not just", nor
 * the hedge "not too …" (which negates the excess, not the word after it).
 */
function negates(tokens: Token[], at: number): boolean {
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
