import type { OrganizationId } from '@app/tenancy';
import { Injectable } from '@nestjs/common';
import { createHash, type Hash } from 'node:crypto';
import { idempotencyKeyReused } from './idempotency-outcomes';
import { IdempotencyService } from './idempotency.service';

/** A write whose body streams in, as the feature that serves it describes it. */
export interface StreamedWrite {
  body: AsyncIterable<Uint8Array>;
  /** Bytes a repeat's body is read to at most, and the error past them. */
  maxBytes: number;
  tooLarge: (maxBytes: number) => Error;
  /** How a failure to read a repeat's body is answered. */
  readFailed: (error: unknown) => unknown;
  /**
   * "The same request": the caller, the route and its options with the sha256 of the
   * body's bytes (not of any framing a retry may change, such as a multipart boundary).
   */
  requestHash: (bodyHash: string) => string;
  /** The first request's write, reading the body it is handed; its answer is stored. */
  write: (body: AsyncIterable<Uint8Array>) => Promise<{ status: number; body: unknown }>;
}

export interface StreamedAnswer {
  status: number;
  body: unknown;
  /** The first request's response, repeated (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

/**
 * `Idempotency-Key` on a streamed write (docs/api.md, Idempotency). Its body is written as it
 * arrives, so "the same request" can be known only once the body is read: the key is taken
 * first, and the first request's hash is stored with its response. A repeat is read in full
 * and hashed before it is answered — the first response if it is the same request, 409 if
 * not — and stores nothing. A failed write stores nothing either: a corrected retry may use
 * the same key.
 */
@Injectable()
export class StreamedIdempotencyService {
  constructor(private readonly keys: IdempotencyService) {}

  async run(
    organizationId: OrganizationId,
    key: string,
    request: StreamedWrite,
  ): Promise<StreamedAnswer> {
    const outcome = await this.keys.beginStreamed(organizationId, key);
    if (outcome.kind === 'compare') {
      const bodyHash = await hashAll(request).catch((error: unknown) => {
        throw request.readFailed(error);
      });
      if (request.requestHash(bodyHash) !== outcome.requestHash) throw idempotencyKeyReused();
      return { status: outcome.status, body: outcome.body, replayed: true };
    }
    const hash = createHash('sha256');
    let answer: { status: number; body: unknown };
    try {
      answer = await request.write(hashing(request.body, hash));
    } catch (error) {
      await this.keys.release(organizationId, key).catch(() => undefined);
      throw error;
    }
    const requestHash = request.requestHash(hash.digest('hex'));
    await this.keys.complete(organizationId, key, answer.status, answer.body, requestHash);
    return { ...answer, replayed: false };
  }
}

/** The sha256 of a repeat's bytes, read to the end (within the write's size limit). */
async function hashAll(request: StreamedWrite): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of request.body) {
    bytes += chunk.byteLength;
    if (bytes > request.maxBytes) throw request.tooLarge(request.maxBytes);
    hash.update(chunk);
  }
  return hash.digest('hex');
}

async function* hashing(source: AsyncIterable<Uint8Array>, hash: Hash): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}
