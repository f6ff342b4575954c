import type { QueryResult } from '../query/structured-query';

type Cell = QueryResult['rows'][number][number];

/**
 * A number as an answer shows it: integers whole with thousands separators, others rounded
 * to two decimals (three significant digits below 1), so "13.45" is the result's 13.4459.
 */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const magnitude = Math.abs(value);
  const digits = magnitude >= 1 ? 2 : Math.min(20, 2 - Math.floor(Math.log10(magnitude)));
  return Number(value.toFixed(digits)).toLocaleString('en-US', { maximumFractionDigits: digits });
}

/** A cell as a phrase: numbers formatted, null as "(none)", text as it is. */
export function formatCell(value: Cell): string {
  if (value === null) return '(none)';
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

// A number standing alone: not part of a word or name (`p90`, `temp_max2`).
const NUMBER = /(?<![\w.])-?\d[\d,]*(?:\.\d+)?(?![\w])/g;

/** The numbers a sentence states, as written. */
export function numbersIn(sentence: string): string[] {
  return sentence.match(NUMBER) ?? [];
}

/**
 * Whether a number written in an answer is in the result: a numeric cell that rounds to it
 * (at the written precision), or a run of digits in a text cell (a date's year or day).
 */
export function isInResult(written: string, result: QueryResult): boolean {
  const plain = written.replace(/,/g, '');
  const value = Number(plain);
  const decimals = plain.includes('.') ? (plain.split('.')[1]?.length ?? 0) : 0;
  const digits = plain.replace(/^-/, '');
  return result.rows.some((row) =>
    row.some((cell) => {
      if (typeof cell === 'number') {
        return Math.abs(Number(cell.toFixed(decimals)) - value) < 10 ** -(decimals + 6);
      }
      if (typeof cell !== 'string') return false;
      return (cell.match(/\d+/g) ?? []).some(
        (run) => run === digits || String(Number(run)) === digits,
      );
    }),
  );
}

/** Every number the sentence states is in the result (docs/api.md: an answer's numbers are). */
export function numbersAreFromResult(sentence: string, result: QueryResult): boolean {
  return numbersIn(sentence).every((written) => isInResult(written, result));
}
