/**
 * How `npm run bench -- ask` judges an answer to a question of the evaluation set
 * (bench/data/ask/questions.json): correct, refused or wrong. A wrong answer is worse
 * than a refusal — a person acts on it — so the two are counted apart.
 */

export const QUESTION_KINDS = [
  'single',
  'filtered',
  'group_by',
  'top_n',
  'time_bucket',
  'comparison',
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export type Cell = string | number | boolean | null;

/** The values an answer's `result` must hold; column names are for a reader, not scored. */
export interface ExpectedTable {
  columns?: string[];
  rows: Cell[][];
}

export interface AskQuestion {
  id: string;
  /** The CSV's name beside questions.json, without `.csv`. */
  dataset: string;
  kind: QuestionKind;
  question: string;
  /** Null: the data cannot answer it, and the right outcome is a refusal (422). */
  expected: ExpectedTable | null;
}

/** What `POST /v1/datasets/:id/questions` answered, as far as scoring needs it. */
export interface AskResponse {
  status: number;
  result?: { rows: Cell[][] } | null;
}

export type Outcome = 'correct' | 'refused' | 'wrong';

export interface Verdict {
  outcome: Outcome;
  /** Why, in a few words, for the list of wrong answers. */
  reason: string;
}

/** Relative and absolute tolerance of a number: 0.5 %, or 0.01 (so averages to ~2 decimals). */
export const RELATIVE_TOLERANCE = 0.005;
export const ABSOLUTE_TOLERANCE = 0.01;
/** More result columns than this are not searched for the expected ones (a `select *`). */
const MAX_SEARCHED_COLUMNS = 12;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
/** A date or a datetime, ISO 8601: year, then optional month, day, time and offset. */
const CALENDAR =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

export function scoreAnswer(question: AskQuestion, response: AskResponse): Verdict {
  if (question.expected === null) {
    if (response.status === 422) return { outcome: 'correct', reason: 'refused, as it should' };
    return {
      outcome: 'wrong',
      reason:
        response.status === 200
          ? 'answered a question the data cannot answer'
          : `status ${response.status}`,
    };
  }
  if (response.status === 422) return { outcome: 'refused', reason: 'refused (422)' };
  if (response.status !== 200) return { outcome: 'wrong', reason: `status ${response.status}` };
  const rows = response.result?.rows;
  if (!Array.isArray(rows)) return { outcome: 'wrong', reason: 'no result rows' };
  return tableContains(rows, question.expected.rows, question.kind)
    ? { outcome: 'correct', reason: 'expected rows found' }
    : { outcome: 'wrong', reason: 'expected rows not in the result' };
}

/**
 * Whether `actual` holds every expected row, its cells in some columns of the result (the
 * same columns for every row; extra columns allowed). Row order counts for top-N (the
 * expected rows must be the first rows) and time buckets (in the same order, other rows
 * between them allowed); elsewhere rows match in any order, but for a comparison whose
 * labels are not the expected ones, whose values must then come in the expected order.
 */
export function tableContains(actual: Cell[][], expected: Cell[][], kind: QuestionKind): boolean {
  if (matchesSomeColumns(actual, expected, kind)) return true;
  if (kind !== 'comparison') return false;
  // The planner names a comparison's groups itself ("Jan 2008" for 2008-01): without the
  // labels, the values must still come in the order the question named the groups.
  const values = expected.map((row) => row.filter((cell) => typeof cell === 'number'));
  return values.every((row) => row.length > 0) && matchesSomeColumns(actual, values, 'time_bucket');
}

function matchesSomeColumns(actual: Cell[][], expected: Cell[][], kind: QuestionKind): boolean {
  if (expected.length === 0) return actual.length === 0;
  const width = expected[0]?.length ?? 0;
  const actualWidth = Math.min(MAX_SEARCHED_COLUMNS, Math.max(0, ...actual.map((r) => r.length)));
  if (width > actualWidth) return false;
  for (const columns of injections(width, actualWidth)) {
    const matches = (want: Cell[], row: Cell[]) =>
      want.every((cell, c) => cellMatches(cell, row[columns[c] ?? -1], kind));
    if (rowsMatch(actual, expected, kind, matches)) return true;
  }
  return false;
}

function rowsMatch(
  actual: Cell[][],
  expected: Cell[][],
  kind: QuestionKind,
  matches: (want: Cell[], row: Cell[]) => boolean,
): boolean {
  if (kind === 'top_n') {
    return expected.every((want, r) => actual[r] !== undefined && matches(want, actual[r]));
  }
  if (kind === 'time_bucket') {
    let from = 0;
    for (const want of expected) {
      const found = actual.findIndex((row, r) => r >= from && matches(want, row));
      if (found < 0) return false;
      from = found + 1;
    }
    return true;
  }
  const used = new Set<number>();
  for (const want of expected) {
    const found = actual.findIndex((row, r) => !used.has(r) && matches(want, row));
    if (found < 0) return false;
    used.add(found);
  }
  return true;
}

/** Every way to place `count` expected columns on distinct columns of `width`, in order. */
function* injections(count: number, width: number, taken: number[] = []): Generator<number[]> {
  if (taken.length === count) {
    yield taken;
    return;
  }
  for (let c = 0; c < width; c++) {
    if (!taken.includes(c)) yield* injections(count, width, [...taken, c]);
  }
}

export function numbersMatch(expected: number, actual: number): boolean {
  const difference = Math.abs(expected - actual);
  return difference <= ABSOLUTE_TOLERANCE || difference <= RELATIVE_TOLERANCE * Math.abs(expected);
}

/**
 * One cell: numbers within tolerance (a numeric string counts as its number), text equal
 * case-insensitively, a period label (`2014`, `2014-Q1`, `2014-03`, `2014-03-05`) equal to
 * a date or midnight datetime that starts it, a weekday name equal to its ISO number
 * (1 = Monday). In a comparison a label may also be a word of a longer one (`2014` in
 * `year 2014`): the planner names the two groups itself.
 */
export function cellMatches(expected: Cell, actual: Cell | undefined, kind: QuestionKind): boolean {
  if (actual === undefined) return false;
  if (expected === null || actual === null) return expected === actual;
  if (typeof expected === 'number') {
    const value =
      typeof actual === 'string' && NUMERIC.test(actual.trim()) ? Number(actual) : actual;
    return typeof value === 'number' && numbersMatch(expected, value);
  }
  if (typeof expected === 'boolean') {
    return expected === actual || String(expected) === String(actual).trim().toLowerCase();
  }
  const want = expected.trim().toLowerCase();
  const got = String(actual).trim().toLowerCase();
  if (want === got) return true;
  if (periodMatches(want, actual) || weekdayMatches(want, actual)) return true;
  return kind === 'comparison' && containsWord(got, want);
}

function periodMatches(want: string, actual: Cell): boolean {
  const year = /^(\d{4})(?:-q([1-4])|-(\d{2})(?:-(\d{2}))?)?$/.exec(want);
  if (year === null) return false;
  const [, y, quarter, month, day] = year;
  if (typeof actual === 'number')
    return quarter === undefined && month === undefined && actual === Number(y);
  if (typeof actual !== 'string') return false;
  const text = actual.trim();
  if (
    quarter !== undefined &&
    new RegExp(`^(${y}\\s*-?\\s*q${quarter}|q${quarter}\\s+${y})$`, 'i').test(text)
  )
    return true;
  const parts = CALENDAR.exec(text);
  if (parts === null) return false;
  const [, ay, am, ad, hours, minutes, secs, fraction, offset] = parts;
  const midnight =
    Number(hours ?? 0) === 0 &&
    Number(minutes ?? 0) === 0 &&
    Number(secs ?? 0) === 0 &&
    Number(fraction ?? 0) === 0 &&
    (offset === undefined || /^(z|[+-]00:?00)$/i.test(offset));
  if (!midnight || ay !== y) return false;
  const firstMonth =
    quarter === undefined ? (month ?? '01') : String(3 * Number(quarter) - 2).padStart(2, '0');
  return (am ?? '01') === firstMonth && (ad ?? '01') === (day ?? '01');
}

function weekdayMatches(want: string, actual: Cell): boolean {
  const index = WEEKDAYS.indexOf(want);
  if (index < 0) return false;
  if (typeof actual === 'number') return actual === index + 1;
  const got = String(actual).trim().toLowerCase();
  return got === String(index + 1) || (got.length >= 3 && want.startsWith(got));
}

function containsWord(text: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'u').test(text);
}
