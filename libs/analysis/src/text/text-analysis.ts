/* eslint-disable @typescript-eslint/unbound-method -- wink-nlp's `its.*` are accessors passed by reference, as its API intends */
import winkNLP, { type ItemToken } from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

/** Sentiment (−1…1) from which a passage is labelled positive, and at or below minus it negative. */
export const SENTIMENT_LABEL_THRESHOLD = 0.2;
/** Keywords and entities reported per document. */
const TOP = 10;
/** Characters of a passage quoted back in the result. */
const QUOTE_LENGTH = 200;

export type SentimentLabel = 'positive' | 'negative' | 'neutral';

export interface Passage {
  index: number;
  text: string;
  sentiment: number;
  label: SentimentLabel;
}

export interface TextDocument {
  source: string;
  sentiment: number;
  label: SentimentLabel;
  passages: Passage[];
  /** wink-nlp's lite English model: dates, times, numbers, money, percentages, emails, URLs, hashtags, … — not people, places or companies. */
  entities: Array<{ type: string; value: string; count: number }>;
  keywords: Array<{ word: string; count: number }>;
}

// One pipeline per process: loading the model takes ~100 ms.
const nlp = winkNLP(model);
const its = nlp.its;

export function label(sentiment: number): SentimentLabel {
  if (sentiment >= SENTIMENT_LABEL_THRESHOLD) return 'positive';
  if (sentiment <= -SENTIMENT_LABEL_THRESHOLD) return 'negative';
  return 'neutral';
}

/**
 * Sentiment per passage (a sentence of free text, or one value of a text column) and
 * overall, entities and keywords, offline with wink-nlp's English model. Same text, same
 * result. `passages` are sentences unless given.
 */
export function analyzeText(source: string, text: string | string[]): TextDocument {
  const pieces = Array.isArray(text) ? text : undefined;
  const doc = nlp.readDoc(typeof text === 'string' ? text : text.join('\n\n'));
  const passages: Passage[] = [];
  if (pieces === undefined) {
    doc.sentences().each((sentence, index) => {
      const sentiment = Number(sentence.out(its.sentiment));
      passages.push({
        index,
        text: sentence.out().slice(0, QUOTE_LENGTH),
        sentiment,
        label: label(sentiment),
      });
    });
  } else {
    pieces.forEach((piece, index) => {
      const sentiment = Number(nlp.readDoc(piece).out(its.sentiment));
      passages.push({
        index,
        text: piece.slice(0, QUOTE_LENGTH),
        sentiment,
        label: label(sentiment),
      });
    });
  }
  const sentiment = Number(doc.out(its.sentiment));
  const entityCounts = new Map<string, { type: string; value: string; count: number }>();
  for (const detail of doc.entities().out(its.detail) as Array<{ type: string; value: string }>) {
    const key = `${detail.type}\u0000${detail.value}`;
    const entry = entityCounts.get(key) ?? { type: detail.type, value: detail.value, count: 0 };
    entry.count++;
    entityCounts.set(key, entry);
  }
  const wordCounts = new Map<string, number>();
  doc.tokens().each((token: ItemToken) => {
    if (token.out(its.type) !== 'word' || token.out(its.stopWordFlag) === true) return;
    const word = String(token.out(its.normal));
    if (word.length < 3) return;
    wordCounts.set(word, (wordCounts.get(word) ?? 0) + 1);
  });
  const byCount = <T extends { count: number }>(a: T, b: T, tieA: string, tieB: string) =>
    b.count - a.count || (tieA < tieB ? -1 : tieA > tieB ? 1 : 0);
  return {
    source,
    sentiment,
    label: label(sentiment),
    passages,
    entities: [...entityCounts.values()]
      .sort((a, b) => byCount(a, b, a.type + a.value, b.type + b.value))
      .slice(0, TOP),
    keywords: [...wordCounts.entries()]
      .map(([word, count]) => ({ word, count }))
      .sort((a, b) => byCount(a, b, a.word, b.word))
      .slice(0, TOP),
  };
}
