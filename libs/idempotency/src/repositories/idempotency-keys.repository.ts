import type { OrganizationId } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { IdempotencyState } from '../entities/idempotency-key.entity';

/** A key as the rules read it, with its age judged by the database's clock. */
export interface StoredIdempotencyKey {
  requestHash: string;
  state: IdempotencyState;
  responseStatus: number | null;
  responseBody: unknown;
  /** Older than the time-to-live asked for. */
  expired: boolean;
  /** Older than the abandonment delay asked for. */
  abandoned: boolean;
}

interface StoredRow {
  request_hash: string;
  state: IdempotencyState;
  response_status: number | null;
  response_body: unknown;
  expired: boolean;
  abandoned: boolean;
}

/** The `idempotency_keys` rows: one per organization and `Idempotency-Key`. */
@Injectable()
export class IdempotencyKeysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Takes `key` as in progress; false when the organization already holds it. */
  async insertInProgress(
    organizationId: OrganizationId,
    key: string,
    requestHash: string,
  ): Promise<boolean> {
    const inserted = await this.dataSource.query<unknown[]>(
      `INSERT INTO idempotency_keys (organization_id, key, request_hash, state)
       VALUES ($1, $2, $3, 'in_progress') ON CONFLICT (organization_id, key) DO NOTHING RETURNING key`,
      [organizationId, key, requestHash],
    );
    return inserted.length > 0;
  }

  async find(
    organizationId: OrganizationId,
    key: string,
    ages: { ttlSeconds: number; abandonedAfterSeconds: number },
  ): Promise<StoredIdempotencyKey | undefined> {
    const [row] = await this.dataSource.query<StoredRow[]>(
      `SELECT request_hash, state, response_status, response_body,
              created_at < now() - make_interval(secs => $3) AS expired,
              created_at < now() - make_interval(secs => $4) AS abandoned
       FROM idempotency_keys WHERE organization_id = $1 AND key = $2`,
      [organizationId, key, ages.ttlSeconds, ages.abandonedAfterSeconds],
    );
    if (row === undefined) return undefined;
    return {
      requestHash: row.request_hash,
      state: row.state,
      responseStatus: row.response_status,
      responseBody: row.response_body,
      expired: row.expired,
      abandoned: row.abandoned,
    };
  }

  /** Stores the response a repeat gets; `requestHash` replaces the stored one when given. */
  async markDone(
    organizationId: OrganizationId,
    key: string,
    response: { status: number; body: unknown; requestHash?: string },
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4::jsonb,
              request_hash = coalesce($5, request_hash)
       WHERE organization_id = $1 AND key = $2`,
      [
        organizationId,
        key,
        response.status,
        JSON.stringify(response.body),
        response.requestHash ?? null,
      ],
    );
  }

  async delete(organizationId: OrganizationId, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE organization_id = $1 AND key = $2`,
      [organizationId, key],
    );
  }

  /**
   * Deletes every organization's keys older than `ttlSeconds`; returns how many. Not by
   * organization: expiry is the same for all, and this is the hourly sweep.
   */
  async deleteOlderThan(ttlSeconds: number): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: number }>>(
      `WITH deleted AS (
         DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1) RETURNING 1
       ) SELECT count(*)::int AS n FROM deleted`,
      [ttlSeconds],
    );
    return row?.n ?? 0;
  }
}
