/* eslint-disable @typescript-eslint/unbound-method -- wink-nlp's `its.*` are accessors passed by reference, as its API intends */
import winkNLP, { type ItemSentence, type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import {
  CLASSIFY_BATCH,
  type PassageClassifier,
  type PassageMethod,
  type SentimentLabel,
} from '@app/models';
import { type Keyphrase, KeyphraseCounter } from './keyphrases';
import { scoreSentiment } from './sentiment-scorer';

/**
 * Mean sentiment (−1…1) from which a document is labelled positive, and at or below minus
 * it negative (VADER's threshold on its compound score).
 */
export const SENTIMENT_LABEL_THRESHOLD = 0.05;
/** Keywords and entities reported per document. */
const TOP = 10;
/** Characters of a passage quoted back in the result. */
const QUOTE_LENGTH = 200;
/**
 * Longest run of non-space characters given to wink-nlp; longer runs are broken with a space.
 * Its tokenizer is quadratic in a token's length (10,000 characters of `a-a-…` take seconds).
 */
export const MAX_TOKEN_CHARACTERS = 100;
/** Text given to one wink-nlp call: between calls the event loop may run. */
const CHUNK_CHARACTERS = 2000;
/** Longest the analysis holds the event loop before it lets it run. */
const YIELD_AFTER_MS = 10;

export type { SentimentLabel } from '@app/models';

export interface Passage {
  index: number;
  text: string;
  /** The builtin scorer's score, whichever method labelled the passage. */
  sentiment: number;
  label: SentimentLabel;
  method: PassageMethod;
}

export interface TextDocument {
  source: string;
  /** The mean of the passages' sentiments. */
  sentiment: number;
  label: SentimentLabel;
  /** Passages by label. */
  counts: Record<SentimentLabel, number>;
  passages: Passage[];
  /** wink-nlp's lite English model: dates, times, numbers, money, percentages, emails, URLs, hashtags, … — not people, places or companies. */
  entities: Array<{ type: string; value: string; count: number }>;
  keywords: Array<{ word: string; count: number }>;
  /** Multi-word phrases of content words (RAKE candidates), most frequent first. */
  keyphrases: Keyphrase[];
}

// One pipeline per process: loading the model takes ~100 ms.
const nlp = winkNLP(model);
const its = nlp.its;

/** A document's label from its mean sentiment. */
export function label(sentiment: number): SentimentLabel {
  if (sentiment >= SENTIMENT_LABEL_THRESHOLD) return 'positive';
  if (sentiment <= -SENTIMENT_LABEL_THRESHOLD) return 'negative';
  return 'neutral';
}

/**
 * A passage's label: the side its score falls on. A passage with any polarity cue (a rated
 * word, emoji, emoticon, a negation, "too …") gets a decision, however weak; only one with
 * none is neutral.
 */
export function passageLabel(sentiment: number): SentimentLabel {
  return sentiment > 0 ? 'positive' : sentiment < 0 ? 'negative' : 'neutral';
}

function passage(index: number, text: string): Passage {
  const { score } = scoreSentiment(text);
  return {
    index,
    text: text.slice(0, QUOTE_LENGTH),
    sentiment: score,
    label: passageLabel(score),
    method: 'builtin',
  };
}

export interface AnalyseTextOptions {
  /** Labels passages with a language model, in batches; a batch it cannot label keeps the builtin labels. */
  classifier?: PassageClassifier;
  signal?: AbortSignal;
}

/**
 * Relabels `passages` (whose full texts are `texts`) with the classifier, batch by batch
 * (the batches in parallel: the model's call limit queues them); a batch the classifier
 * cannot label keeps its builtin labels.
 */
async function classify(
  passages: Passage[],
  texts: string[],
  { classifier, signal }: AnalyseTextOptions,
): Promise<void> {
  if (classifier === undefined) return;
  const starts = Array.from(
    { length: Math.ceil(passages.length / CLASSIFY_BATCH) },
    (_, k) => k * CLASSIFY_BATCH,
  );
  await Promise.all(
    starts.map(async (start) => {
      const labels = await classifier.classify(texts.slice(start, start + CLASSIFY_BATCH), signal);
      if (labels === undefined) return;
      for (const [offset, label] of labels.entries()) {
        const relabelled = passages[start + offset];
        relabelled.label = label;
        relabelled.method = 'model';
      }
    }),
  );
}

/**
 * Sentiment per passage (a sentence of free text, or one value of a text column, scored by
 * {@link scoreSentiment}) and overall (their mean), entities, keywords and keyphrases
 * (wink-nlp's English model), offline. Same text, same result. `passages` are sentences
 * unless given. With a classifier, passages are labelled by a language model where it
 * answers well (`method: 'model'`), else by the scorer (`method: 'builtin'`).
 *
 * Linear in the text and never holding the event loop long: runs of more than
 * {@link MAX_TOKEN_CHARACTERS} non-space characters are broken, and the text is read in
 * chunks of about {@link CHUNK_CHARACTERS} characters (cut at a line or sentence end when
 * there is one), yielding between them.
 */
export async function analyseText(
  source: string,
  text: string | string[],
  options: AnalyseTextOptions = {},
): Promise<TextDocument> {
  const pace = new Pace();
  const totals: Totals = { entities: new Map(), words: new Map(), phrases: new KeyphraseCounter() };
  const passages: Passage[] = [];
  const texts: string[] = [];
  const parts =
    typeof text === 'string' ? chunks(breakLongRuns(text)) : joined(text.map(breakLongRuns));
  for (const part of parts) {
    const doc = read(part, totals);
    if (typeof text === 'string') {
      doc.sentences().each((sentence: ItemSentence) => {
        const written = sentence.out();
        passages.push(passage(passages.length, written));
        texts.push(written);
      });
    }
    await pace.breathe();
  }
  if (Array.isArray(text)) {
    for (const [index, piece] of text.entries()) {
      passages.push(passage(index, piece));
      texts.push(piece);
      await pace.breathe();
    }
  }
  await classify(passages, texts, options);
  const sentiment =
    passages.length === 0 ? 0 : passages.reduce((sum, p) => sum + p.sentiment, 0) / passages.length;
  const counts = { positive: 0, negative: 0, neutral: 0 };
  for (const { label: passageLabel } of passages) counts[passageLabel]++;
  const byCount = <T extends { count: number }>(a: T, b: T, tieA: string, tieB: string) =>
    b.count - a.count || (tieA < tieB ? -1 : tieA > tieB ? 1 : 0);
  return {
    source,
    sentiment,
    label: label(sentiment),
    counts,
    passages,
    entities: [...totals.entities.values()]
      .sort((a, b) => byCount(a, b, a.type + a.value, b.type + b.value))
      .slice(0, TOP),
    keywords: [...totals.words.entries()]
      .map(([word, count]) => ({ word, count }))
      .sort((a, b) => byCount(a, b, a.word, b.word))
      .slice(0, TOP),
    keyphrases: totals.phrases.top(TOP),
  };
}

interface Totals {
  entities: Map<string, { type: string; value: string; count: number }>;
  words: Map<string, number>;
  phrases: KeyphraseCounter;
}

/** Reads one chunk with wink-nlp, adding its entities, words and phrases to `totals`. */
function read(chunk: string, totals: Totals) {
  const doc = nlp.readDoc(chunk);
  for (const detail of doc.entities().out(its.detail) as Array<{ type: string; value: string }>) {
    const key = `${detail.type}\u0000${detail.value}`;
    const entry = totals.entities.get(key) ?? { type: detail.type, value: detail.value, count: 0 };
    entry.count++;
    totals.entities.set(key, entry);
  }
  const phrases = totals.phrases;
  doc.tokens().each((token: ItemToken) => {
    // A line break ends a phrase: column values are joined by blank lines.
    if (String(token.out(its.precedingSpaces)).includes('\n')) phrases.cut();
    if (token.out(its.type) !== 'word' || token.out(its.stopWordFlag) === true) {
      phrases.cut();
      return;
    }
    const word = String(token.out(its.normal));
    phrases.word(word);
    if (word.length < 3) return;
    totals.words.set(word, (totals.words.get(word) ?? 0) + 1);
  });
  phrases.cut();
  return doc;
}

/** `text` in chunks of at most {@link CHUNK_CHARACTERS}, cut at a line, sentence or word end. */
function chunks(text: string): string[] {
  const parts: string[] = [];
  let from = 0;
  while (text.length - from > CHUNK_CHARACTERS) {
    const window = text.slice(from, from + CHUNK_CHARACTERS);
    const cut = [window.lastIndexOf('\n'), window.lastIndexOf('. '), window.lastIndexOf(' ')]
      .map((at) => at + 1)
      .find((at) => at > CHUNK_CHARACTERS / 2);
    parts.push(window.slice(0, cut));
    from += cut ?? CHUNK_CHARACTERS;
  }
  parts.push(text.slice(from));
  return parts;
}

/** Column values joined by blank lines, in chunks (whole values, unless one is too long). */
function joined(values: string[]): string[] {
  const parts: string[] = [];
  let group: string[] = [];
  let length = 0;
  for (const value of values.flatMap(chunks)) {
    if (group.length > 0 && length + value.length > CHUNK_CHARACTERS) {
      parts.push(group.join('\n\n'));
      group = [];
      length = 0;
    }
    group.push(value);
    length += value.length + 2;
  }
  if (group.length > 0 || parts.length === 0) parts.push(group.join('\n\n'));
  return parts;
}

/** `text` with a space after every {@link MAX_TOKEN_CHARACTERS} non-space characters in a row. */
export function breakLongRuns(text: string): string {
  const parts: string[] = [];
  let from = 0;
  let run = 0;
  for (let at = 0; at < text.length; at++) {
    if (isSpace(text.charCodeAt(at))) run = 0;
    else if (++run > MAX_TOKEN_CHARACTERS) {
      parts.push(text.slice(from, at));
      from = at;
      run = 1;
    }
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(from));
  return parts.join(' ');
}

/** Whitespace as wink-nlp splits on it (ASCII and the usual Unicode spaces). */
function isSpace(code: number): boolean {
  return (
    code <= 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

/** Lets the event loop run once work has held it for {@link YIELD_AFTER_MS}. */
class Pace {
  private since = performance.now();

  async breathe(): Promise<void> {
    if (performance.now() - this.since < YIELD_AFTER_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}
