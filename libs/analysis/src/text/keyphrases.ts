/** Words in a keyphrase: at least two (one word is a keyword), at most this many. */
export const KEYPHRASE_MAX_WORDS = 4;
/** Keyphrases reported per document. */
export const KEYPHRASES_REPORTED = 10;
/** Distinct candidate phrases kept per document: bounds memory on a long text. */
const MAX_CANDIDATES = 50_000;

export interface Keyphrase {
  /** Lower-case words, as written, joined by a space. */
  phrase: string;
  /** Occurrences in the text read. */
  count: number;
  /** RAKE score: the sum over its words of degree / frequency. */
  score: number;
}

/**
 * Candidate keyphrases after RAKE (Rose, Engel, Cramer and Cowley, "Automatic Keyword
 * Extraction from Individual Documents", 2010): runs of content words, cut at stop words,
 * punctuation and line breaks. Fed one token at a time; each run of 2 to
 * {@link KEYPHRASE_MAX_WORDS} words is a candidate, and every run feeds the word statistics
 * (a word's frequency, and its degree: the words of the runs it is in).
 */
export class KeyphraseCounter {
  private run: string[] = [];
  private readonly phrases = new Map<string, number>();
  private readonly frequency = new Map<string, number>();
  private readonly degree = new Map<string, number>();

  /** A content word (lower case, not a stop word). */
  word(word: string): void {
    this.run.push(word);
  }

  /** A stop word, punctuation, a number or a line break: the run so far ends. */
  cut(): void {
    const run = this.run;
    if (run.length === 0) return;
    this.run = [];
    if (run.length > KEYPHRASE_MAX_WORDS) return;
    for (const word of run) {
      this.frequency.set(word, (this.frequency.get(word) ?? 0) + 1);
      this.degree.set(word, (this.degree.get(word) ?? 0) + run.length);
    }
    if (run.length < 2) return;
    const phrase = run.join(' ');
    const seen = this.phrases.get(phrase);
    if (seen !== undefined) this.phrases.set(phrase, seen + 1);
    else if (this.phrases.size < MAX_CANDIDATES) this.phrases.set(phrase, 1);
  }

  /**
   * The top keyphrases: most frequent first (in a column of many values, what recurs is
   * what the writers talk about), then by RAKE score, then alphabetically.
   */
  top(k = KEYPHRASES_REPORTED): Keyphrase[] {
    this.cut();
    const score = (phrase: string) =>
      phrase
        .split(' ')
        .reduce(
          (sum, word) => sum + (this.degree.get(word) ?? 0) / (this.frequency.get(word) ?? 1),
          0,
        );
    return [...this.phrases.entries()]
      .map(([phrase, count]) => ({ phrase, count, score: score(phrase) }))
      .sort(
        (a, b) =>
          b.count - a.count ||
          b.score - a.score ||
          (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0),
      )
      .slice(0, k);
  }
}
