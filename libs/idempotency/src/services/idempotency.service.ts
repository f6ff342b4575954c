import type { OrganizationId } from '@app/tenancy';
import { ProblemException } from '@app/common';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import {
  IdempotencyKeysRepository,
  type StoredIdempotencyKey,
} from '../repositories/idempotency-keys.repository';
import {
  idempotencyKeyReused,
  type IdempotencyOutcome,
  type StreamedIdempotencyOutcome,
} from './idempotency-outcomes';
import { isSealed, ResponseSeal } from './response-seal';

/** How long a key answers with its first response (API.md: 24 h). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/**
 * A first request still "in progress" after this long died with its process, and a
 * repeat runs it again. (If it had committed before dying, that repeat writes twice:
 * the response is stored after the work, not in its transaction.)
 */
const ABANDONED_AFTER_SECONDS = 600;

/**
 * The rules of `Idempotency-Key` (API.md, Conventions), on a PostgreSQL row per
 * organization and key, so every replica agrees: the first request with a key runs;
 * the same request again within 24 h gets the first response (and writes nothing);
 * the same key with a different request is a 409, and so is a repeat while the first
 * is still running. A first request that fails leaves no trace, so a corrected retry
 * may use the same key.
 */
@Injectable()
export class IdempotencyService {
  private readonly seal: ResponseSeal;

  constructor(
    private readonly keys: IdempotencyKeysRepository,
    config: AppConfig,
  ) {
    this.seal = new ResponseSeal(config.auth.jwtSecret);
  }

  /**
   * The first use of `key` (stored as in progress), or the response to replay; a 409
   * problem when the key was used with another request or its first is still running.
   */
  async begin(
    organizationId: OrganizationId,
    key: string,
    requestHash: string,
  ): Promise<IdempotencyOutcome> {
    const stored = await this.claim(organizationId, key, requestHash);
    if (stored === undefined) return { kind: 'first' };
    if (stored.requestHash !== requestHash) throw idempotencyKeyReused();
    if (stored.state === 'in_progress') throw inProgress();
    return {
      kind: 'replay',
      status: stored.responseStatus ?? 200,
      body: this.opened(organizationId, key, stored.responseBody),
    };
  }

  /**
   * {@link begin} for a streamed body (an upload): the key is taken without a request hash,
   * and a key already answered returns what to compare the repeat's body against. A 409
   * while the first is still running.
   */
  async beginStreamed(
    organizationId: OrganizationId,
    key: string,
  ): Promise<StreamedIdempotencyOutcome> {
    // Until its body has been read, a streamed first request's hash is unknown ('').
    const stored = await this.claim(organizationId, key, '');
    if (stored === undefined) return { kind: 'first' };
    if (stored.state === 'in_progress') throw inProgress();
    return {
      kind: 'compare',
      requestHash: stored.requestHash,
      status: stored.responseStatus ?? 200,
      body: this.opened(organizationId, key, stored.responseBody),
    };
  }

  /**
   * Takes `key` for a first request (undefined), or answers what it holds; a key past its
   * 24 hours, or whose first request died, is taken over.
   */
  private async claim(
    organizationId: OrganizationId,
    key: string,
    requestHash: string,
  ): Promise<StoredIdempotencyKey | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      if (await this.keys.insertInProgress(organizationId, key, requestHash)) return undefined;
      const stored = await this.keys.find(organizationId, key, {
        ttlSeconds: IDEMPOTENCY_TTL_SECONDS,
        abandonedAfterSeconds: ABANDONED_AFTER_SECONDS,
      });
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

  /**
   * The first request succeeded: its response is what a repeat gets. `requestHash`: the
   * hash of a streamed request, now that its body has been read.
   */
  async complete(
    organizationId: OrganizationId,
    key: string,
    status: number,
    body: unknown,
    requestHash?: string,
  ): Promise<void> {
    await this.keys.markDone(organizationId, key, {
      status,
      body: this.seal.seal(organizationId, key, body),
      requestHash,
    });
  }

  /**
   * A stored response as it was sent. Rows written before responses were sealed are plain;
   * a sealed one that no longer opens (the server's secret changed since) is a 409.
   */
  private opened(organizationId: OrganizationId, key: string, stored: unknown): unknown {
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
  async release(organizationId: OrganizationId, key: string): Promise<void> {
    await this.keys.delete(organizationId, key);
  }

  /** Deletes keys past their 24 hours; returns how many. */
  async prune(): Promise<number> {
    return this.keys.deleteOlderThan(IDEMPOTENCY_TTL_SECONDS);
  }
}

function inProgress(): ProblemException {
  return new ProblemException(
    409,
    'idempotency-key-in-progress',
    'The first request with this Idempotency-Key is still running; retry shortly',
  );
}
