/**
 * Why a CSV upload was refused. Codes are stable: clients and the problem+json
 * `type` (`/problems/csv-<code>`) may depend on them; messages may be reworded.
 */
export type CsvErrorCode =
  | 'empty-file'
  | 'header-only'
  | 'unclosed-quote'
  | 'ragged-row'
  | 'mixed-line-endings'
  | 'duplicate-header'
  | 'empty-header'
  | 'header-control-character'
  | 'header-too-long'
  | 'not-utf8'
  | 'binary-content'
  | 'too-many-columns'
  | 'line-too-long'
  | 'field-too-long'
  | 'too-large';

export type CsvErrorStatus = 400 | 413 | 415;

/**
 * 400: the bytes are text but not a CSV we can store; 413: over a configured limit;
 * 415: not UTF-8 text at all (RFC 9110 allows 415 "as a result of inspecting the data").
 */
const STATUS: Record<CsvErrorCode, CsvErrorStatus> = {
  'empty-file': 400,
  'header-only': 400,
  'unclosed-quote': 400,
  'ragged-row': 400,
  'mixed-line-endings': 400,
  'duplicate-header': 400,
  'empty-header': 400,
  'header-control-character': 400,
  'header-too-long': 400,
  'not-utf8': 415,
  'binary-content': 415,
  'too-many-columns': 413,
  'line-too-long': 413,
  'field-too-long': 413,
  'too-large': 413,
};

/**
 * A CSV file the reader refuses, with the HTTP status it deserves and, where the
 * problem sits on a line, the 1-based physical line number (line breaks inside
 * quoted fields count, as in an editor). Plain `Error` on purpose: the datasets
 * service maps it to a `ProblemException`, so this folder stays free of Nest.
 */
export class CsvError extends Error {
  override readonly name = 'CsvError';
  readonly status: CsvErrorStatus;

  constructor(
    readonly code: CsvErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.status = STATUS[code];
  }
}
