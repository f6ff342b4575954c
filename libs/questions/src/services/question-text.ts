import { RequestValidationException } from '@app/common';

/** Longest question, in characters (docs/api.md; the DTO states it too). */
export const MAX_QUESTION_LENGTH = 2000;

// Control characters but tab and line breaks: PostgreSQL text cannot hold NUL, and none of
// them is part of a question a person typed.
const CONTROL = /[^\P{Cc}\t\n\r]/u;

/**
 * The question as it is planned and stored: trimmed, its runs of whitespace made one space.
 * Empty, longer than {@link MAX_QUESTION_LENGTH} or holding a control character: a 400
 * naming `question`.
 */
export function questionText(question: string): string {
  const refuse = (message: string) =>
    new RequestValidationException([{ field: 'question', message }]);
  if (CONTROL.test(question)) throw refuse('question must not contain control characters');
  const text = question.replace(/\s+/g, ' ').trim();
  if (text === '') throw refuse('question must not be empty');
  if (text.length > MAX_QUESTION_LENGTH)
    throw refuse(`question must be at most ${MAX_QUESTION_LENGTH} characters`);
  return text;
}
