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
