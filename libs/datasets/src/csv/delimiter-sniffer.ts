import { CsvTokenizer } from './csv-tokenizer';

export const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

/** Enough rows to judge consistency; more only costs time. */
const SAMPLE_ROWS = 200;

interface Candidate {
  delimiter: CsvDelimiter;
  /** The field count most rows of the sample have. */
  fields: number;
  /** Share of the sample's rows that have it, 0..1. */
  consistency: number;
}

/**
 * Picks the delimiter whose rows in `sample` (the start of the file) have one field
 * count above 1: the most consistent count wins, then the larger count (`a;b,c`
 * splits into more columns by `;` only if that stays consistent), then the order
 * `,` `;` tab `|`. Delimiters inside quotes do not count, because the sample is
 * tokenized with each candidate. When the sample ends mid-file, its last row may be
 * cut short and is ignored. Without a candidate above one field the file has a
 * single column, and `,` is as good as any.
 */
export function sniffDelimiter(sample: string, complete: boolean): CsvDelimiter {
  let best: Candidate | undefined;
  for (const delimiter of CSV_DELIMITERS) {
    const candidate = measure(delimiter, sample, complete);
    if (candidate === undefined || candidate.fields < 2) continue;
    if (
      best === undefined ||
      candidate.consistency > best.consistency ||
      (candidate.consistency === best.consistency && candidate.fields > best.fields)
    ) {
      best = candidate;
    }
  }
  return best?.delimiter ?? ',';
}

function measure(
  delimiter: CsvDelimiter,
  sample: string,
  complete: boolean,
): Candidate | undefined {
  // Limits the sample cannot reach, as small integers like the reader's own: with
  // MAX_SAFE_INTEGER (a double to V8) here, the tokenizer compiled for one kind of number
  // was deoptimised by the other on every upload.
  const unreachable = sample.length + 1;
  const tokenizer = new CsvTokenizer(delimiter, {
    maxColumns: unreachable,
    maxLineLength: unreachable,
    maxFieldLength: unreachable,
  });
  // Ragged rows are what we measure: keep every row's own length.
  tokenizer.expectedFields = -1;
  const counts: number[] = [];
  try {
    tokenizer.push(sample);
    // A first line longer than the sample is judged on what the sample holds of it.
    if (complete || tokenizer.rows.length === 0) tokenizer.end();
  } catch {
    // A sample that does not tokenize (mixed line endings, an unclosed quote) is
    // judged on the rows before the problem; the reader reports the problem itself.
  }
  for (const row of tokenizer.rows.slice(0, SAMPLE_ROWS)) {
    if (row.length === 1 && row[0] === null) continue;
    counts.push(row.length);
  }
  if (counts.length === 0) return undefined;
  const frequency = new Map<number, number>();
  for (const count of counts) frequency.set(count, (frequency.get(count) ?? 0) + 1);
  let fields = 0;
  let seen = 0;
  for (const [count, times] of frequency) {
    if (times > seen || (times === seen && count > fields)) {
      fields = count;
      seen = times;
    }
  }
  return { delimiter, fields, consistency: seen / counts.length };
}
