/** What a command prints: `lines` describe what it did; a created `key` goes alone on the last line. */
export interface CommandResult {
  lines: string[];
  key?: string;
}

/** An expected failure (e.g. an unknown organization): its message is printed, exit code 1. */
export class CommandFailure extends Error {}
