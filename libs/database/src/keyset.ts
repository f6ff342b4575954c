import type { KeysetPosition } from '@app/common';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Newest first with keyset pagination over `(created_at, id)`: fetches
 * `limit + 1` rows after `after`, the extra row telling whether a next page
 * exists (see `toPage` in @app/common). Needs an index on
 * `(organization_id, created_at, id)` or similar to stay fast on deep pages.
 */
export function newestFirstAfter<Entity extends ObjectLiteral>(
  query: SelectQueryBuilder<Entity>,
  alias: string,
  limit: number,
  after: KeysetPosition | undefined,
): SelectQueryBuilder<Entity> {
  query
    .orderBy(`${alias}.created_at`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .limit(limit + 1);
  if (after !== undefined) {
    query.andWhere(`(${alias}.created_at, ${alias}.id) < (:afterCreatedAt, :afterId)`, {
      afterCreatedAt: after.createdAt,
      afterId: after.id,
    });
  }
  return query;
}
