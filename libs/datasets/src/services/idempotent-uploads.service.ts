import type { Principal } from '@app/access';
import { ProblemException, type RequestMeta } from '@app/common';
import { idempotencyKeyReused, IdempotencyService } from '@app/idempotency';
import { AppConfig } from '@app/config';
import { Injectable } from '@nestjs/common';
import { createHash, type Hash } from 'node:crypto';
import type { DatasetEntity } from '../entities/dataset.entity';
import { type DatasetUpload, DatasetUploadService, uploadProblem } from './dataset-upload.service';

export interface UploadAnswer {
  status: number;
  body: unknown;
  /** The first request's response, repeated (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

/**
 * Uploads with an `Idempotency-Key` (docs/api.md, Idempotency). An upload is streamed into the
 * database as it arrives, so "the same request" can be known only once its body is read:
 * the key is taken first, and the first request's hash — the caller, its options and the
 * sha256 of the file's bytes (not of the multipart framing, whose boundary a retry
 * changes) — is stored with its response. A repeat is read in full and hashed before it
 * is answered: the first response if it is the same upload, 409 if not; it stores nothing.
 */
@Injectable()
export class IdempotentUploadsService {
  constructor(
    private readonly config: AppConfig,
    private readonly uploads: DatasetUploadService,
    private readonly keys: IdempotencyService,
  ) {}

  async upload(
    principal: Principal,
    upload: DatasetUpload,
    key: string,
    meta: RequestMeta,
    respond: (dataset: DatasetEntity) => unknown,
  ): Promise<UploadAnswer> {
    const organizationId = principal.organizationId;
    const outcome = await this.keys.beginStreamed(organizationId, key);
    if (outcome.kind === 'compare') {
      const bodyHash = await this.hashAll(upload.source).catch((error: unknown) => {
        throw uploadProblem(error, upload);
      });
      if (requestHash(principal, upload, bodyHash) !== outcome.requestHash) {
        throw idempotencyKeyReused();
      }
      return { status: outcome.status, body: outcome.body, replayed: true };
    }
    const hash = createHash('sha256');
    let dataset: DatasetEntity;
    try {
      dataset = await this.uploads.upload(
        principal,
        { ...upload, source: hashing(upload.source, hash) },
        meta,
      );
    } catch (error) {
      // A failed upload stores nothing: a corrected retry may use the same key.
      await this.keys.release(organizationId, key).catch(() => undefined);
      throw error;
    }
    const body = respond(dataset);
    const hashOfRequest = requestHash(principal, upload, hash.digest('hex'));
    await this.keys.complete(organizationId, key, 201, body, hashOfRequest);
    return { status: 201, body, replayed: false };
  }

  /** The sha256 of a repeat's bytes, read to the end (within the upload's size limit). */
  private async hashAll(source: AsyncIterable<Uint8Array>): Promise<string> {
    const hash = createHash('sha256');
    const maxBytes = this.config.datasets.maxBytes;
    let bytes = 0;
    for await (const chunk of source) {
      bytes += chunk.byteLength;
      if (bytes > maxBytes) {
        throw new ProblemException(
          413,
          'csv-too-large',
          `The upload is over ${maxBytes} bytes, the limit`,
        );
      }
      hash.update(chunk);
    }
    return hash.digest('hex');
  }
}

async function* hashing(source: AsyncIterable<Uint8Array>, hash: Hash): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}

function requestHash(principal: Principal, upload: DatasetUpload, bodyHash: string): string {
  const options = JSON.stringify([upload.name, upload.delimiter ?? null, upload.header]);
  return createHash('sha256')
    .update(`${principal.kind}:${principal.id}\nPOST /v1/datasets\n${options}\n${bodyHash}`)
    .digest('hex');
}
