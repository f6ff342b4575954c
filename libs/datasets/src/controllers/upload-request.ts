import {
  flattenValidationErrors,
  ProblemException,
  RequestValidationException,
  type TransferLimits,
  TransferWatchdog,
} from '@app/common';
import type { Multipart, MultipartFile } from '@fastify/multipart';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { basename, extname } from 'node:path';
import { Readable } from 'node:stream';
import { DELIMITERS, UploadDatasetOptionsDto } from '../dtos/dataset.dto';
import type { DatasetUpload } from '../services/dataset-upload.service';

/** Media types of a raw CSV body; their parser hands the body on as a stream. */
export const CSV_MEDIA_TYPES = ['text/csv', 'application/csv'];
const MAX_FORM_FIELDS = 10;

/**
 * The upload in a request, without reading the file: `multipart/form-data` with a
 * `file` field (options as query parameters, or form fields sent before the file),
 * or a raw `text/csv` body (options as query parameters).
 */
export async function readUploadRequest(
  request: FastifyRequest,
  query: Record<string, unknown>,
  limits: { maxBytes: number; uploadIdleTimeoutMs: number },
  pace: TransferLimits,
): Promise<DatasetUpload> {
  const { maxBytes, uploadIdleTimeoutMs } = limits;
  const guarded = (body: AsyncIterable<Uint8Array>) =>
    droppedWhenSlow(request, droppedWhenIdle(request, body, uploadIdleTimeoutMs), pace);
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes + 64 * 1024) {
    throw new ProblemException(
      413,
      'csv-too-large',
      `The upload is ${declared} bytes; the limit is ${maxBytes} bytes`,
    );
  }
  const clientGone = () => request.raw.destroyed && !request.raw.complete;
  if (request.isMultipart()) {
    refuseEncodedMultipart(request);
    const parts = request.parts({
      // One byte over the limit lets the CSV reader report it (with the limit named).
      limits: { fileSize: maxBytes + 1, files: 1, fields: MAX_FORM_FIELDS, fieldSize: 1024 },
    });
    const fields: Record<string, unknown> = {};
    let part: MultipartFile | undefined;
    for (let next = await parts.next(); next.done !== true; next = await parts.next()) {
      if (next.value.type === 'file') {
        part = next.value;
        break;
      }
      fields[next.value.fieldname] = next.value.value;
    }
    if (part === undefined || part.fieldname !== 'file') {
      part?.file.resume();
      throw new RequestValidationException([
        { field: 'file', message: 'send the CSV file in a form field named "file"' },
      ]);
    }
    const file = part;
    const options = await validOptions({ ...query, ...fields }, () => file.file.resume());
    return {
      source: guarded(fileThenNoFields(file, parts)),
      name: options.name ?? defaultName(part.filename),
      delimiter: options.delimiter === undefined ? undefined : DELIMITERS[options.delimiter],
      header: options.header ?? true,
      clientGone,
    };
  }
  const mediaType =
    (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!CSV_MEDIA_TYPES.includes(mediaType) || !(request.body instanceof Readable)) {
    throw new ProblemException(
      415,
      'unsupported-media-type',
      `Upload CSV as multipart/form-data (field "file") or as a text/csv body, not ${mediaType || 'a body without a Content-Type'}`,
    );
  }
  const options = await validOptions(query, () => undefined);
  return {
    source: guarded(request.body),
    name: options.name ?? 'Untitled dataset',
    delimiter: options.delimiter === undefined ? undefined : DELIMITERS[options.delimiter],
    header: options.header ?? true,
    clientGone,
  };
}

/**
 * A multipart body is parsed from the socket's own bytes, past request decompression:
 * compressed, it would be read as garbage. Compress the CSV and send it as `text/csv`.
 */
function refuseEncodedMultipart(request: FastifyRequest): void {
  const encoding = request.headers['content-encoding']?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return;
  throw new ProblemException(
    415,
    'unsupported-content-encoding',
    `A multipart/form-data upload cannot be sent with Content-Encoding ${encoding}; send the compressed CSV as a text/csv body instead`,
  );
}

/**
 * The upload's bytes, but a client that stops sending them for `idleMs` loses its
 * connection: otherwise a stalled upload would hold a database connection and an
 * upload slot for as long as the socket lives. The load then rolls back as for any
 * interrupted upload. The timer is the socket's; it starts with the first read (not
 * while the upload waits for a slot, when the client is held back on purpose) and is
 * cleared once the body is read.
 */
function droppedWhenIdle(
  request: FastifyRequest,
  body: AsyncIterable<Uint8Array>,
  idleMs: number,
): AsyncIterable<Uint8Array> {
  const socket = request.raw.socket;
  const onIdle = () => {
    request.log.warn({ idleMs }, 'Upload stalled; dropping the connection');
    request.raw.destroy(new Error(`No upload bytes for ${idleMs} ms`));
  };
  return (async function* guarded() {
    try {
      socket.setTimeout(idleMs);
      socket.on('timeout', onIdle);
      yield* body;
    } finally {
      socket.setTimeout(0);
      socket.off('timeout', onIdle);
    }
  })();
}

/**
 * The upload's bytes, but a client that sends them too slowly while the load waits for
 * them, or for too long in all (`LONG_REQUEST_*`), loses its connection, like an idle one:
 * one byte a minute must not hold an upload slot, a connection and a transaction forever.
 * Timed from the first read, as the idle timer is.
 */
async function* droppedWhenSlow(
  request: FastifyRequest,
  body: AsyncIterable<Uint8Array>,
  pace: TransferLimits,
): AsyncIterable<Uint8Array> {
  const iterator = body[Symbol.asyncIterator]();
  let received = 0;
  let waiting = false;
  const watchdog = new TransferWatchdog(
    pace,
    { bytes: () => received, clientBound: () => waiting },
    (reason) => {
      request.log.warn({ reason }, 'Upload too slow; dropping the connection');
      request.raw.destroy(new Error(`Upload aborted: ${reason}`));
    },
  ).start();
  let finished = false;
  try {
    for (;;) {
      waiting = true;
      const next = await iterator.next();
      waiting = false;
      if (next.done === true) break;
      received += next.value.length;
      yield next.value;
    }
    finished = true;
  } finally {
    watchdog.stop();
    if (!finished) await iterator.return?.();
  }
}

/**
 * The file's bytes, then the rest of the form, which must hold nothing more: options sent
 * after the file arrive only once it has been loaded, too late to parse it by, and
 * ignoring them would store the file parsed by other options than the caller's. The
 * load then fails (and rolls back) naming them.
 */
async function* fileThenNoFields(
  file: MultipartFile,
  rest: AsyncIterableIterator<Multipart>,
): AsyncIterable<Uint8Array> {
  yield* file.file;
  const late: string[] = [];
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) {
    late.push(next.value.fieldname);
  }
  if (late.length > 0) {
    throw new RequestValidationException(
      late.map((name) => ({
        field: name,
        message: `form field "${name}" came after the file; send options before "file" or as query parameters`,
      })),
    );
  }
}

async function validOptions(
  values: Record<string, unknown>,
  onInvalid: () => void,
): Promise<UploadDatasetOptionsDto> {
  const options = plainToInstance(UploadDatasetOptionsDto, values);
  const errors = await validate(options, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    onInvalid();
    throw new RequestValidationException(flattenValidationErrors(errors));
  }
  return options;
}

function defaultName(filename: string): string {
  const name = basename(filename, extname(filename)).trim().slice(0, 200);
  return name === '' ? 'Untitled dataset' : name;
}
