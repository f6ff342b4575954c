import type { Keyed, KeysetPosition } from '@app/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * SQL for a `timestamptz` column as the exact text a cursor carries: UTC, microseconds
 * (`2026-01-31T12:34:56.789012Z`). Text, not a JS Date: a Date keeps milliseconds.
 */
export function keysetTimeSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** SQL for "after `position`" in `(time DESC, id DESC)` order, `$time`/`$id` its placeholders. */
export function keysetAfterSql(timeColumn: string, idColumn: string, time: string, id: string) {
  // The row comparison matches ORDER BY time DESC, id DESC and uses the (…, time, id) index.
  return `(${timeColumn}, ${idColumn}) < (CAST(${time} AS timestamptz), CAST(${id} AS uuid))`;
}

const KEYSET_TIME = 'keyset_time';

/**
 * Newest first with keyset pagination over `(created_at, id)`: fetches `limit + 1` rows
 * after `after`, the extra row telling whether a next page exists (see `toPage` in
 * @app/common), each with its exact position. Needs an index on
 * `(organization_id, created_at, id)` to stay fast on deep pages.
 */
export async function newestFirstPage<Entity extends ObjectLiteral & { id: string }>(
  query: SelectQueryBuilder<Entity>,
  alias: string,
  limit: number,
  after: KeysetPosition | undefined,
): Promise<Array<Keyed<Entity>>> {
  query
    .addSelect(keysetTimeSql(`${alias}.created_at`), KEYSET_TIME)
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1);
  if (after !== undefined) {
    query.andWhere(keysetAfterSql(`${alias}.created_at`, `${alias}.id`, ':afterTime', ':afterId'), {
      afterTime: after.time,
      afterId: after.id,
    });
  }
  const { entities, raw } = await query.getRawAndEntities<Record<string, unknown>>();
  // Matched by id, not by index: TypeORM does not promise raw rows and entities align.
  const times = new Map(raw.map((row) => [String(row[`${alias}_id`]), String(row[KEYSET_TIME])]));
  return entities.map((item) => ({
    item,
    position: { time: times.get(item.id) ?? '', id: item.id },
  }));
}
