import { CsvError } from './csv-errors';
import type { CsvRow } from './csv-rows';

/**
 * Longest column name, in characters: a name travels into JSON keys, log lines, prompts
 * and tool schemas, where a very long one breaks things late (an analysis, not the
 * upload); it is refused up front instead.
 */
export const MAX_HEADER_LENGTH = 256;
/** C0 controls, DEL and C1 controls (Unicode category Cc); tabs and line breaks included. */
const CONTROL_CHARACTER = /\p{Cc}/u;
const SHOWN_CHARACTERS = 40;

export interface HeaderNameFault {
  code: 'header-control-character' | 'header-too-long';
  /** Completes "<name> …": `contains the control character U+0007; …`. */
  reason: string;
}

/** Why `name` cannot name a column (too long, or a control character in it), or undefined. */
export function headerNameFault(name: string): HeaderNameFault | undefined {
  const length = [...name].length;
  if (length > MAX_HEADER_LENGTH) {
    return {
      code: 'header-too-long',
      reason: `is ${length} characters long; names may have at most ${MAX_HEADER_LENGTH}`,
    };
  }
  const control = CONTROL_CHARACTER.exec(name);
  if (control === null) return undefined;
  const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return {
    code: 'header-control-character',
    reason: `contains the control character U+${code}; names may not contain control characters`,
  };
}

/** `name` for a message: JSON-quoted (controls escaped), its first 40 characters then `…`. */
export function shownName(name: string): string {
  const characters = [...name];
  return JSON.stringify(
    characters.length > SHOWN_CHARACTERS
      ? `${characters.slice(0, SHOWN_CHARACTERS).join('')}…`
      : name,
  );
}

/**
 * The names of a header row, trimmed; each must be non-empty, unique ignoring case, at most
 * MAX_HEADER_LENGTH characters and free of control characters, or the file is refused.
 */
export function headerNames(row: CsvRow): string[] {
  if (row.length === 1 && row[0] === null) {
    throw new CsvError(
      'empty-header',
      'Line 1 is empty, but it should name the columns (upload with header=false if the file has no header row)',
      1,
    );
  }
  const names = row.map((field) => (field ?? '').trim());
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') {
      throw new CsvError(
        'empty-header',
        `Column ${i + 1} of the header has no name; every column needs one (line 1)`,
        1,
      );
    }
    checkHeaderName(name, i);
    const key = name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new CsvError(
        'duplicate-header',
        `Column ${i + 1} of the header, "${name}", repeats column ${earlier + 1} ("${names[earlier]}"); ` +
          'names must be unique, ignoring case (line 1)',
        1,
      );
    }
    seen.set(key, i);
  });
  return names;
}

function checkHeaderName(name: string, i: number): void {
  const fault = headerNameFault(name);
  if (fault !== undefined) {
    throw new CsvError(
      fault.code,
      `Column ${i + 1} of the header, ${shownName(name)}, ${fault.reason} (line 1)`,
      1,
    );
  }
}
