import { ProblemException } from '@app/common';
import { decodeMetricCursor, encodeMetricCursor } from './metric-cursor';

const id = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';

/** A cursor holding `value` as JSON, the way {@link encodeMetricCursor} wraps its own. */
function cursorOf(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The exception decoding `cursor` throws; fails the test if it decodes. */
function rejectionOf(cursor: string): ProblemException {
  try {
    decodeMetricCursor(cursor);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('expected the cursor to be refused');
}

describe('metric cursors', () => {
  it.each([
    ['a recent time', new Date('2026-01-31T12:34:56.789Z')],
    ['the epoch', new Date(0)],
    ['a time before the epoch', new Date('1900-01-01T00:00:00Z')],
    ['a time after 9999', new Date('+010000-01-01T00:00:00Z')],
  ])('decode to the position they were made from, at %s', (_, observedAt) => {
    const position = decodeMetricCursor(encodeMetricCursor({ observedAt, id }));

    expect(position).toEqual({ observedAt, id });
  });

  it('are URL-safe text', () => {
    expect(encodeMetricCursor({ observedAt: new Date(), id })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('mean "from the start" when absent', () => {
    expect(decodeMetricCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['not base64url JSON', 'not a cursor!'],
    ['base64url of text that is not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON null', cursorOf(null)],
    ['a JSON object', cursorOf({ observedAt: '2026-01-31T00:00:00Z', id })],
    ['a JSON string', cursorOf('2026-01-31T00:00:00Z')],
    ['an empty array', cursorOf([])],
    ['an array of one', cursorOf(['2026-01-31T00:00:00Z'])],
    ['an array of three', cursorOf(['2026-01-31T00:00:00Z', id, 1])],
    ['the two swapped', cursorOf([id, '2026-01-31T00:00:00Z'])],
    ['a time that is a number', cursorOf([Date.parse('2026-01-31T00:00:00Z'), id])],
    ['a time that is null', cursorOf([null, id])],
    ['a time that is not a date', cursorOf(['yesterday-ish', id])],
    ['an empty time', cursorOf(['', id])],
    ['an id that is not a UUID', cursorOf(['2026-01-31T00:00:00Z', 'abc'])],
    ['an id of 36 dashes', cursorOf(['2026-01-31T00:00:00Z', '-'.repeat(36)])],
    ['an id with a character more', cursorOf(['2026-01-31T00:00:00Z', `${id}0`])],
    ['an id that is a number', cursorOf(['2026-01-31T00:00:00Z', 42])],
    [
      'an upper-case id (this API issues lower case)',
      cursorOf(['2026-01-31T00:00:00Z', id.toUpperCase()]),
    ],
  ])('are refused with a 400 when %s', (_, cursor) => {
    const error = rejectionOf(cursor);

    expect(error.getStatus()).toBe(400);
    expect(error.slug).toBe('invalid-cursor');
    expect(error.fieldErrors).toEqual([{ field: 'cursor', message: 'cursor is invalid' }]);
  });
});
