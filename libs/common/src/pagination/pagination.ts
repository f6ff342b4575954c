import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ProblemException } from '../errors/problem';

/** `?limit=&cursor=` on every list (docs/api.md, "Lists and pagination"). */
export class PageQueryDto {
  /** Items per page, 1–500. */
  // Declared for OpenAPI here, not left to the CLI plugin: DTOs built with mapped types
  // (IntersectionType) copy decorators, and would lose plugin-only properties.
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50, type: Number })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit: number = 50;

  /** Opaque cursor from the previous page's `nextCursor`. */
  @ApiPropertyOptional({ type: String, maxLength: 512 })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/**
 * Position after the last item of a page, in `(time DESC, id DESC)` order (`created_at`, or
 * a metric's `observed_at`). The time is PostgreSQL's own value to the microsecond, as text
 * (`2026-01-31T12:34:56.789012Z`, see `keysetTimeSql` in @app/database): a JS Date keeps
 * milliseconds, and a page boundary inside one millisecond (one transaction's `now()`)
 * would skip the rest of it. The id breaks ties between items of one time.
 */
export interface KeysetPosition {
  time: string;
  id: string;
}

/** An item of a keyset list and its position, as a repository returns it. */
export interface Keyed<T> {
  item: T;
  position: KeysetPosition;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** ISO 8601 UTC with exactly six fraction digits: what `keysetTimeSql` gives. */
const KEYSET_TIME = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** base64url of `[time, id]`. */
export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.time, position.id])).toString('base64url');
}

/**
 * The position a cursor from {@link encodeCursor} holds; 400 `invalid-cursor` for anything
 * else, including the millisecond cursors issued before (their rows could not be found again).
 */
export function decodeCursor(cursor: string | undefined): KeysetPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [time, id] = parsed as unknown[];
      if (typeof time === 'string' && isKeysetTime(time) && typeof id === 'string' && UUID.test(id))
        return { time, id };
    }
  } catch {
    // Not base64url JSON: the 400 below.
  }
  throw invalidCursor();
}

/** A real instant PostgreSQL reads back exactly (a 400 must not become a cast error, a 500). */
function isKeysetTime(time: string): boolean {
  const match = KEYSET_TIME.exec(time);
  // PostgreSQL has no year 0; Date.parse rolls impossible days (02-30) into the next month.
  if (match === null || match[1] === '0000') return false;
  const seconds = time.slice(0, 19);
  const parsed = Date.parse(`${seconds}Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 19) === seconds;
}

/** The 400 for a `cursor` this API did not issue (for lists with their own cursor format). */
export function invalidCursor(): ProblemException {
  return new ProblemException(
    400,
    'invalid-cursor',
    'The cursor is not one this API issued; start again without it',
    [{ field: 'cursor', message: 'cursor is invalid' }],
  );
}

/**
 * Builds a page from items fetched with `limit + 1`: the extra one only tells
 * whether there is a next page.
 */
export function toPage<Item, T>(
  rows: Array<Keyed<Item>>,
  limit: number,
  map: (item: Item) => T,
): Page<T> {
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return {
    data: visible.map((row) => map(row.item)),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last.position) : null,
  };
}
