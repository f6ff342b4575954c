/**
 * Per-row sentiment on the UCI Sentiment Labelled Sentences (bench/data/sentiment-labelled-
 * sentences: 1,000 Amazon, IMDb and Yelp review sentences each, half positive, half
 * negative): Sightline's text analysis (each file read as a text column, as the text agent
 * reads one) beside plain lexicon scorers computed in the same run — AFINN-165 (the
 * `sentiment` package), VADER (`vader-sentiment`) and wink-nlp's own sentiment, which the
 * text agent used before its own scorer. A neutral call counts as wrong: every sentence has
 * a side.
 */
/* eslint-disable @typescript-eslint/unbound-method -- wink-nlp's `its.*` are accessors passed by reference, as its API intends */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Sentiment from 'sentiment';
import { SentimentIntensityAnalyzer } from 'vader-sentiment';
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';
import { analyseText } from '../../../libs/analysis/src/text/text-analysis';
import { heading, printTable, ratio, verdict } from './table';

export const SENTENCES = join(
  __dirname,
  '..',
  '..',
  '..',
  'bench',
  'data',
  'sentiment-labelled-sentences',
);

export const SOURCES = ['amazon', 'imdb', 'yelp'] as const;
export type SentenceSource = (typeof SOURCES)[number];
const FILES: Record<SentenceSource, string> = {
  amazon: 'amazon_cells_labelled.txt',
  imdb: 'imdb_labelled.txt',
  yelp: 'yelp_labelled.txt',
};

/**
 * The one source Sightline's scorer rules and review words were chosen on; the others are
 * held out (docs/analyses.md, "Sentiment").
 */
export const TUNED_ON: SentenceSource = 'yelp';

/** The target: per-row accuracy overall, a neutral call counting as wrong. */
export const ACCURACY_TARGET = 0.78;

export interface LabelledSentence {
  source: SentenceSource;
  text: string;
  positive: boolean;
}

export type SentimentCall = 'positive' | 'negative' | 'neutral';

/** One `sentence<TAB>0|1` a line (the dataset's own format); other lines are skipped. */
export function parseLabelledSentences(
  source: SentenceSource,
  content: string,
): LabelledSentence[] {
  const sentences: LabelledSentence[] = [];
  for (const line of content.split(/\r?\n/)) {
    const match = /^(.*)\t([01])\s*$/.exec(line);
    if (match === null) continue;
    sentences.push({ source, text: (match[1] ?? '').trim(), positive: match[2] === '1' });
  }
  return sentences;
}

export function loadLabelledSentences(directory = SENTENCES): LabelledSentence[] {
  return SOURCES.flatMap((source) =>
    parseLabelledSentences(source, readFileSync(join(directory, FILES[source]), 'utf8')),
  );
}

export interface SentimentFigures {
  n: number;
  /** Calls on the sentence's side; neutral is wrong. */
  accuracy: number;
  /** The mean of the positive and the negative class's F1 (a neutral call is in neither). */
  macroF1: number;
  /** Share of sentences called negative (the truth: 0.5). */
  negative: number;
  /** Share called neutral. */
  neutral: number;
}

/** Accuracy, macro-F1 and the shares of calls, for calls against the truth (`positive`). */
export function sentimentFigures(
  truth: readonly boolean[],
  calls: readonly SentimentCall[],
): SentimentFigures {
  const n = truth.length;
  let right = 0;
  const f1 = (side: 'positive' | 'negative') => {
    let hits = 0;
    let called = 0;
    let actual = 0;
    for (let i = 0; i < n; i++) {
      const isSide = truth[i] === (side === 'positive');
      if (isSide) actual++;
      if (calls[i] === side) {
        called++;
        if (isSide) hits++;
      }
    }
    const precision = called === 0 ? 0 : hits / called;
    const recall = actual === 0 ? 0 : hits / actual;
    return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  };
  for (let i = 0; i < n; i++) if (calls[i] === (truth[i] ? 'positive' : 'negative')) right++;
  const share = (call: SentimentCall) => calls.filter((c) => c === call).length / Math.max(1, n);
  return {
    n,
    accuracy: n === 0 ? 0 : right / n,
    macroF1: (f1('positive') + f1('negative')) / 2,
    negative: share('negative'),
    neutral: share('neutral'),
  };
}

/** The side of a score: neutral at 0, and closer to 0 than `band`. */
function side(score: number, band = 0): SentimentCall {
  if (score > 0 && score >= band) return 'positive';
  if (score < 0 && score <= -band) return 'negative';
  return 'neutral';
}

interface Scorer {
  name: string;
  /** One call per sentence of one source, in order. */
  call(texts: string[]): Promise<SentimentCall[]> | SentimentCall[];
}

const afinn = new Sentiment();
const wink = winkNLP(model);

const SCORERS: Scorer[] = [
  {
    name: 'Sightline (text agent)',
    call: async (texts) => (await analyseText('sentence', texts)).passages.map((p) => p.label),
  },
  // The sum of AFINN-165 valences; its side, 0 neutral.
  {
    name: 'AFINN-165 (sentiment)',
    call: (texts) => texts.map((t) => side(afinn.analyze(t).score)),
  },
  // The compound score against the ±0.05 its authors recommend.
  {
    name: 'VADER (vader-sentiment)',
    call: (texts) =>
      texts.map((t) => side(SentimentIntensityAnalyzer.polarity_scores(t).compound, 0.05)),
  },
  // The text agent's scorer before its own: wink-nlp's document sentiment, labelled at ±0.2.
  {
    name: 'wink-nlp (before, ±0.2)',
    call: (texts) => texts.map((t) => side(Number(wink.readDoc(t).out(wink.its.sentiment)), 0.2)),
  },
  {
    name: 'wink-nlp (its side)',
    call: (texts) => texts.map((t) => side(Number(wink.readDoc(t).out(wink.its.sentiment)))),
  },
];

export async function runSentimentQuality(): Promise<void> {
  const sentences = loadLabelledSentences();
  heading(
    `Sentiment: ${sentences.length} labelled review sentences (UCI; ` +
      `${sentences.filter((s) => !s.positive).length} negative)`,
  );
  const rows: string[][] = [];
  let sightline: SentimentFigures | undefined;
  let heldOut: SentimentFigures | undefined;
  for (const scorer of SCORERS) {
    const truth: boolean[] = [];
    const calls: SentimentCall[] = [];
    for (const source of SOURCES) {
      const part = sentences.filter((s) => s.source === source);
      const partCalls = await scorer.call(part.map((s) => s.text));
      const partTruth = part.map((s) => s.positive);
      truth.push(...partTruth);
      calls.push(...partCalls);
      const name = source === TUNED_ON ? `${source} (tuned on)` : source;
      rows.push(figureRow(scorer.name, name, sentimentFigures(partTruth, partCalls)));
    }
    const overall = sentimentFigures(truth, calls);
    if (sightline === undefined) {
      sightline = overall;
      const kept = sentences.map((s) => s.source !== TUNED_ON);
      heldOut = sentimentFigures(
        truth.filter((_t, i) => kept[i]),
        calls.filter((_c, i) => kept[i]),
      );
      rows.push(figureRow(scorer.name, 'held out', heldOut));
    }
    rows.push(figureRow(scorer.name, 'overall', overall));
  }
  printTable(['scorer', 'sentences', 'accuracy', 'macro-F1', 'negative', 'neutral'], rows);
  console.log(
    `Sightline's rules and review words were chosen on ${TUNED_ON} only; ` +
      `${SOURCES.filter((s) => s !== TUNED_ON).join(' and ')} are held out.`,
  );
  console.log('\nTargets (sentiment):');
  console.log(
    `  ${verdict((sightline?.accuracy ?? 0) >= ACCURACY_TARGET)}  Sightline per-row accuracy ` +
      `${(sightline?.accuracy ?? 0).toFixed(3)} overall (≥ ${ACCURACY_TARGET}, neutral counted wrong; ` +
      `${(heldOut?.accuracy ?? 0).toFixed(3)} held out)`,
  );
}

function figureRow(scorer: string, source: string, figures: SentimentFigures): string[] {
  return [
    scorer,
    source,
    figures.accuracy.toFixed(3),
    ratio(figures.macroF1),
    ratio(figures.negative),
    ratio(figures.neutral),
  ];
}
