/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * A CSV field (comma-delimited) holding `text` exactly: quoted when it holds a quote,
 * comma or line break, or starts or ends with blanks (readers trim those otherwise).
 */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV field for user text: as {@link csvField}, but text a spreadsheet would run as
 * a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is prefixed
 * with `'`. The empty string is `""`, so it reads back apart from a missing value.
 */
export function csvTextField(text: string): string {
  if (text === '') return '""';
  return csvField(FORMULA_START.test(text) ? `'${text}` : text);
}
