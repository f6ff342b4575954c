import type { Aggregate, CalendarPart, RelativeUnit, TimeBucket } from '../query/structured-query';
import type { Comparator } from './question-lexicon';

export type Mention = { start: number; end: number; text: string } & (
  | {
      kind: 'column';
      columns: string[];
      /** A superlative in the run ("hottest"): the way to order by this column. */
      hint?: 'desc' | 'asc';
      /** A qualifier word in the run ("highest temperature"): the aggregate it implies. */
      qualifier?: 'max' | 'min' | 'avg';
    }
  | { kind: 'value'; column: string; value: string }
  | { kind: 'aggregate'; aggregate: Aggregate }
  | { kind: 'distinct' }
  | { kind: 'order'; direction: 'asc' | 'desc'; count?: number }
  | { kind: 'group' }
  | { kind: 'bucket'; bucket: TimeBucket }
  | { kind: 'comparator'; comparator: Comparator }
  | { kind: 'range'; from: number; to: number }
  | { kind: 'number'; value: number }
  /** "which 3 months": how many to list, its order coming from a superlative. */
  | { kind: 'count'; value: number }
  | { kind: 'period'; from: string; to: string; label: string }
  | { kind: 'last'; amount: number; unit: RelativeUnit }
  /** "on weekends", "on Mondays", "in March" of any year: a calendar part of the time column. */
  | { kind: 'calendar'; part: CalendarPart; values: number[]; label: string }
  | { kind: 'versus' }
  | { kind: 'rows' }
  | { kind: 'filler' }
  | { kind: 'unknown' }
);

export interface QuestionToken {
  /** Lower case; numbers without thousands separators. */
  word: string;
  raw: string;
}

/** Words and numbers of a question, in order (`1,000` → 1000, `3.5` kept whole). */
export function tokensOf(question: string): QuestionToken[] {
  const out: QuestionToken[] = [];
  for (const match of question.matchAll(
    /\d{4}-\d{2}-\d{2}|\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?|[\p{L}\p{N}][\p{L}\p{N}_'’.-]*/gu,
  )) {
    let raw = match[0].replace(/[.'’-]+$/u, '');
    if (/^\d/.test(raw)) raw = raw.replace(/,/g, '');
    const word = raw.toLowerCase().replace(/['’]s$/u, '');
    if (word.length > 0) out.push({ word, raw });
  }
  return out;
}
