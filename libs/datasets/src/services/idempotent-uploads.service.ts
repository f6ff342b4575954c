import type { Principal } from '@app/access';
import { ProblemException, type RequestMeta } from '@app/common';
import { AppConfig } from '@app/config';
import { type StreamedAnswer, StreamedIdempotencyService } from '@app/idempotency';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { DatasetEntity } from '../entities/dataset.entity';
import { type DatasetUpload, DatasetUploadService, uploadProblem } from './dataset-upload.service';

export type UploadAnswer = StreamedAnswer;

/**
 * Uploads with an `Idempotency-Key`: the rules are libs/idempotency's streamed ones; an
 * upload is the same request when the caller, its options and the file's bytes are.
 */
@Injectable()
export class IdempotentUploadsService {
  constructor(
    private readonly config: AppConfig,
    private readonly uploads: DatasetUploadService,
    private readonly idempotency: StreamedIdempotencyService,
  ) {}

  upload(
    principal: Principal,
    upload: DatasetUpload,
    key: string,
    meta: RequestMeta,
    respond: (dataset: DatasetEntity) => unknown,
  ): Promise<UploadAnswer> {
    return this.idempotency.run(principal.organizationId, key, {
      body: upload.source,
      maxBytes: this.config.datasets.maxBytes,
      tooLarge: (maxBytes) =>
        new ProblemException(
          413,
          'csv-too-large',
          `The upload is over ${maxBytes} bytes, the limit`,
        ),
      readFailed: (error) => uploadProblem(error, upload),
      requestHash: (bodyHash) => requestHash(principal, upload, bodyHash),
      write: async (source) => {
        const dataset = await this.uploads.upload(principal, { ...upload, source }, meta);
        return { status: 201, body: respond(dataset) };
      },
    });
  }
}

function requestHash(principal: Principal, upload: DatasetUpload, bodyHash: string): string {
  const options = JSON.stringify([upload.name, upload.delimiter ?? null, upload.header]);
  return createHash('sha256')
    .update(`${principal.kind}:${principal.id}\nPOST /v1/datasets\n${options}\n${bodyHash}`)
    .digest('hex');
}
