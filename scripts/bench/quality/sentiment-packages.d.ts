// The baselines' packages ship no types; the benchmark reads one function of each.
declare module 'sentiment' {
  /** AFINN-165 (Nielsen 2011): the sum of the rated words' valences, −5…5 each. */
  export default class Sentiment {
    analyze(text: string): { score: number; comparative: number };
  }
}
declare module 'vader-sentiment' {
  /** VADER (Hutto & Gilbert 2014), the authors' rules in JavaScript. */
  export const SentimentIntensityAnalyzer: {
    polarity_scores(text: string): { neg: number; neu: number; pos: number; compound: number };
  };
}
