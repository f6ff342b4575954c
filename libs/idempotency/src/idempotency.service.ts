import {
  idempotencyKeyReused,
  type IdempotencyOutcome,
  IdempotencyStore,
  ProblemException,
  type StreamedIdempotencyOutcome,
} from '@app/common';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { isSealed, ResponseSeal } from './response-seal';

/** How long a key answers with its first response (docs/api.md: 24 h). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/**
 * A first request still "in progress" after this long died with its process, and a
 * repeat runs it again. (If it had committed before dying, that repeat writes twice:
 * the response is stored after the work, not in its transaction.)
 */
const ABANDONED_AFTER_SECONDS = 600;

interface StoredKey {
  request_hash: string;
  state: 'in_progress' | 'done';
  response_status: number | null;
  response_body: unknown;
  expired: boolean;
  abandoned: boolean;
}

/**
 * The rules of `Idempotency-Key` (docs/api.md, Idempotency), on a PostgreSQL row per
 * organization and key, so every replica agrees: the first request with a key runs;
 * the same request again within 24 h gets the first response (and writes nothing);
 * the same key with a different request is a 409, and so is a repeat while the first
 * is still running. A first request that fails leaves no trace, so a corrected retry
 * may use the same key.
 */
@Injectable()
export class IdempotencyService implements IdempotencyStore {
  private readonly seal: ResponseSeal;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    config: AppConfig,
  ) {
    this.seal = new ResponseSeal(config.auth.jwtSecret);
  }

  async begin(
    organizationId: string,
    key: string,
    requestHash: string,
  ): Promise<IdempotencyOutcome> {
    const stored = await this.claim(organizationId, key, requestHash);
    if (stored === undefined) return { kind: 'first' };
    if (stored.request_hash !== requestHash) throw idempotencyKeyReused();
    if (stored.state === 'in_progress') throw inProgress();
    return {
      kind: 'replay',
      status: stored.response_status ?? 200,
      body: this.opened(organizationId, key, stored.response_body),
    };
  }

  async beginStreamed(organizationId: string, key: string): Promise<StreamedIdempotencyOutcome> {
    // Until its body has been read, a streamed first request's hash is unknown ('').
    const stored = await this.claim(organizationId, key, '');
    if (stored === undefined) return { kind: 'first' };
    if (stored.state === 'in_progress') throw inProgress();
    return {
      kind: 'compare',
      requestHash: stored.request_hash,
      status: stored.response_status ?? 200,
      body: this.opened(organizationId, key, stored.response_body),
    };
  }

  /**
   * Takes `key` for a first request (undefined), or answers what it holds; a key past its
   * 24 hours, or whose first request died, is taken over.
   */
  private async claim(
    organizationId: string,
    key: string,
    requestHash: string,
  ): Promise<StoredKey | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const inserted = await this.dataSource.query<unknown[]>(
        `INSERT INTO idempotency_keys (organization_id, key, request_hash, state)
         VALUES ($1, $2, $3, 'in_progress') ON CONFLICT (organization_id, key) DO NOTHING RETURNING key`,
        [organizationId, key, requestHash],
      );
      if (inserted.length > 0) return undefined;
      const [stored] = await this.dataSource.query<StoredKey[]>(
        `SELECT request_hash, state, response_status, response_body,
                created_at < now() - make_interval(secs => $3) AS expired,
                created_at < now() - make_interval(secs => $4) AS abandoned
         FROM idempotency_keys WHERE organization_id = $1 AND key = $2`,
        [organizationId, key, IDEMPOTENCY_TTL_SECONDS, ABANDONED_AFTER_SECONDS],
      );
      if (stored === undefined) continue; // removed meanwhile: insert again
      const takeOver = stored.expired || (stored.state === 'in_progress' && stored.abandoned);
      if (!takeOver) return stored;
      await this.release(organizationId, key);
    }
    throw new ProblemException(
      409,
      'idempotency-key-in-progress',
      'The Idempotency-Key is contended; retry shortly',
    );
  }

  /** The first request succeeded: its response is what a repeat gets. */
  async complete(
    organizationId: string,
    key: string,
    status: number,
    body: unknown,
    requestHash?: string,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'done', response_status = $3, response_body = $4::jsonb,
              request_hash = coalesce($5, request_hash)
       WHERE organization_id = $1 AND key = $2`,
      [
        organizationId,
        key,
        status,
        JSON.stringify(this.seal.seal(organizationId, key, body)),
        requestHash ?? null,
      ],
    );
  }

  /**
   * A stored response as it was sent. Rows written before responses were sealed are plain;
   * a sealed one that no longer opens (the server's secret changed since) is a 409.
   */
  private opened(organizationId: string, key: string, stored: unknown): unknown {
    if (!isSealed(stored)) return stored;
    const body = this.seal.open(organizationId, key, stored);
    if (body === undefined) {
      throw new ProblemException(
        409,
        'idempotency-key-unreadable',
        "The first response to this Idempotency-Key can no longer be read (the server's secret changed); use a new key",
      );
    }
    return body;
  }

  /** The first request failed (or the key expired): forget the key. */
  async release(organizationId: string, key: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE organization_id = $1 AND key = $2`,
      [organizationId, key],
    );
  }

  /** Deletes keys past their 24 hours; returns how many. */
  async prune(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: number }>>(
      `WITH deleted AS (
         DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1) RETURNING 1
       ) SELECT count(*)::int AS n FROM deleted`,
      [IDEMPOTENCY_TTL_SECONDS],
    );
    return row?.n ?? 0;
  }
}

function inProgress(): ProblemException {
  return new ProblemException(
    409,
    'idempotency-key-in-progress',
    'The first request with this Idempotency-Key is still running; retry shortly',
  );
}
