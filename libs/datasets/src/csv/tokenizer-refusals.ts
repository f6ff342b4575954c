import { CsvError } from './csv-errors';

// What the tokenizer (./csv-tokenizer) says when it refuses a file, each refusal with the
// physical line it is about. Only the wording lives here: when to refuse is the tokenizer's.

export function unclosedQuote(line: number): CsvError {
  return new CsvError(
    'unclosed-quote',
    `The quoted field that starts on line ${line} is never closed ` +
      '(a " inside an unquoted field also starts a quoted section; double it or quote the whole field)',
    line,
  );
}

/** `line` ends with `ending`, unlike `firstLine`, the first line break of the file. */
export function mixedLineEndings(
  line: number,
  ending: string,
  firstLine: number,
  firstEnding: string,
): CsvError {
  return new CsvError(
    'mixed-line-endings',
    `Line ${line} ends with ${ending} but line ${firstLine} ends with ${firstEnding}; ` +
      'use one kind of line break throughout, and quote fields that contain line breaks',
    line,
  );
}

/** A field over the limit; `quoted`: it opened a quoted section, which may never close. */
export function fieldTooLong(
  { field, row, line }: { field: number; row: number; line: number },
  limit: number,
  quoted: boolean,
): CsvError {
  const hint = quoted ? '; is a closing quote missing?' : '';
  return new CsvError(
    'field-too-long',
    `Field ${field} of row ${row} is longer than ${limit} characters, the limit${hint} (line ${line})`,
    line,
  );
}

export function tooManyColumns(row: number, line: number, limit: number): CsvError {
  return new CsvError(
    'too-many-columns',
    `Row ${row} has more than ${limit} fields, the limit (line ${line})`,
    line,
  );
}

export function lineTooLong(line: number, limit: number): CsvError {
  return new CsvError(
    'line-too-long',
    `Line ${line} is longer than ${limit} characters, the limit`,
    line,
  );
}
