import { ProblemException } from '../errors/problem';
import { decodeCursor, encodeCursor, toPage } from './pagination';

const id = '3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b';
const time = '2026-01-31T12:34:56.789012Z';

/** A cursor holding `value` as JSON, the way {@link encodeCursor} wraps its own. */
function cursorOf(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The exception decoding `cursor` throws; fails the test if it decodes. */
function rejectionOf(cursor: string): ProblemException {
  try {
    decodeCursor(cursor);
  } catch (error) {
    if (error instanceof ProblemException) return error;
    throw error;
  }
  throw new Error('expected the cursor to be refused');
}

describe('list cursors', () => {
  it.each([
    ['a recent time', time],
    ['the epoch', '1970-01-01T00:00:00.000000Z'],
    ['a time before the epoch', '1900-01-01T00:00:00.000001Z'],
    ['a leap day', '2024-02-29T23:59:59.999999Z'],
    ['the first year PostgreSQL has', '0001-01-01T00:00:00.000000Z'],
  ])('decode to the position they were made from, at %s', (_, at) => {
    expect(decodeCursor(encodeCursor({ time: at, id }))).toEqual({ time: at, id });
  });

  it('are URL-safe text', () => {
    expect(encodeCursor({ time, id })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('mean "from the start" when absent', () => {
    expect(decodeCursor(undefined)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['not base64url JSON', 'not a cursor!'],
    ['base64url of text that is not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON null', cursorOf(null)],
    ['a JSON object', cursorOf({ time, id })],
    ['a JSON string', cursorOf(time)],
    ['an empty array', cursorOf([])],
    ['an array of one', cursorOf([time])],
    ['an array of three', cursorOf([time, id, 1])],
    ['the two swapped', cursorOf([id, time])],
    ['a time that is a number', cursorOf([Date.parse(time), id])],
    ['a time that is null', cursorOf([null, id])],
    ['a time that is not a date', cursorOf(['yesterday-ish', id])],
    ['an empty time', cursorOf(['', id])],
    // What cursors held before microseconds: a page boundary inside a millisecond lost rows.
    ['a millisecond time (an earlier cursor)', cursorOf(['2026-01-31T12:34:56.789Z', id])],
    ['a time without fraction', cursorOf(['2026-01-31T12:34:56Z', id])],
    ['a time with nanoseconds', cursorOf(['2026-01-31T12:34:56.789012345Z', id])],
    ['a time in another zone', cursorOf(['2026-01-31T12:34:56.789012+01:00', id])],
    ['a day the month lacks', cursorOf(['2026-02-30T00:00:00.000000Z', id])],
    ['hour 24', cursorOf(['2026-01-31T24:00:00.000000Z', id])],
    ['a leap second', cursorOf(['2016-12-31T23:59:60.000000Z', id])],
    ['year 0, which PostgreSQL lacks', cursorOf(['0000-01-01T00:00:00.000000Z', id])],
    ['an id that is not a UUID', cursorOf([time, 'abc'])],
    ['an id of 36 dashes', cursorOf([time, '-'.repeat(36)])],
    ['an id with a character more', cursorOf([time, `${id}0`])],
    ['an id that is a number', cursorOf([time, 42])],
    ['an upper-case id (this API issues lower case)', cursorOf([time, id.toUpperCase()])],
  ])('are refused with a 400 when %s', (_, cursor) => {
    const error = rejectionOf(cursor);

    expect(error.getStatus()).toBe(400);
    expect(error.slug).toBe('invalid-cursor');
    expect(error.fieldErrors).toEqual([{ field: 'cursor', message: 'cursor is invalid' }]);
  });
});

describe('toPage', () => {
  const rows = ['a', 'b', 'c'].map((name, i) => ({
    item: { name },
    position: { time: `2026-01-31T12:34:56.78901${i}Z`, id },
  }));

  it('shows `limit` items and points the cursor after the last one shown', () => {
    const page = toPage(rows, 2, (item) => item.name);

    expect(page.data).toEqual(['a', 'b']);
    expect(decodeCursor(page.nextCursor ?? undefined)).toEqual(rows[1]?.position);
  });

  it('has no next page when the extra row is missing', () => {
    expect(toPage(rows, 3, (item) => item.name)).toEqual({
      data: ['a', 'b', 'c'],
      nextCursor: null,
    });
  });
});
