import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ProblemException } from '../errors/problem';

/** `?limit=&cursor=` on every list (API.md, Conventions). */
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

/** Position after the last row of a page, ordered by `(createdAt DESC, id DESC)`. */
export interface KeysetPosition {
  createdAt: Date;
  id: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

export function decodeCursor(cursor: string | undefined): KeysetPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string'
    ) {
      const createdAt = new Date(parsed[0]);
      if (!Number.isNaN(createdAt.getTime()) && /^[0-9a-f-]{36}$/.test(parsed[1]))
        return { createdAt, id: parsed[1] };
    }
  } catch {
    // Fall through to the 400 below.
  }
  throw invalidCursor();
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
 * Builds a page from rows fetched with `limit + 1`: the extra row only tells
 * whether there is a next page.
 */
export function toPage<Row extends KeysetPosition, T>(
  rows: Row[],
  limit: number,
  map: (row: Row) => T,
): Page<T> {
  const visible = rows.slice(0, limit);
  const last = visible[visible.length - 1];
  return {
    data: visible.map(map),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(last) : null,
  };
}
