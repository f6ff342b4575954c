/** Reading CSV through the real reader in controlled chunkings, for the reader's specs. */
import { Readable } from 'node:stream';
import { CsvError } from '../csv-errors';
import type { CsvReadOptions } from '../csv-options';
import { openCsv } from '../csv-reader';
import type { CsvRow } from '../csv-rows';

export type Chunking = 'whole' | 'bytes' | 'random' | number[];

export interface Read {
  columns: readonly string[];
  delimiter: string;
  bom: boolean;
  rows: CsvRow[];
  batches: number;
  byteCount: number;
}

/** What a network source does between chunks. */
export const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Deterministic chunk sizes 1..max (mulberry32), so a failure reproduces. */
function randomSizes(seed: number, max: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return 1 + (((t ^ (t >>> 14)) >>> 0) % max);
  };
}

export function chunksOf(input: Buffer, chunking: Chunking, seed = 1): Buffer[] {
  if (chunking === 'whole') return [input];
  const chunks: Buffer[] = [];
  if (Array.isArray(chunking)) {
    let at = 0;
    for (const cut of [...chunking, input.length]) {
      chunks.push(input.subarray(at, cut));
      at = cut;
    }
    return chunks;
  }
  const next = chunking === 'bytes' ? () => 1 : randomSizes(seed, 17);
  for (let at = 0; at < input.length;) {
    const size = next();
    chunks.push(input.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

export async function read(
  input: string | Buffer,
  options: CsvReadOptions = {},
  chunking: Chunking = 'whole',
  seed = 1,
): Promise<Read> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const csv = await openCsv(Readable.from(chunksOf(bytes, chunking, seed)), options);
  const rows: CsvRow[] = [];
  let batches = 0;
  for await (const batch of csv) {
    rows.push(...batch);
    batches += 1;
  }
  return {
    columns: csv.columns,
    delimiter: csv.delimiter,
    bom: csv.bom,
    rows,
    batches,
    byteCount: csv.byteCount,
  };
}

export async function failure(
  input: string | Buffer,
  options: CsvReadOptions = {},
  chunking: Chunking = 'whole',
): Promise<CsvError> {
  try {
    await read(input, options, chunking);
  } catch (error) {
    if (error instanceof CsvError) return error;
    throw error;
  }
  throw new Error('expected a CsvError');
}

/** Outcome without batch boundaries, comparable across chunkings. */
export async function outcome(
  input: Buffer,
  options: CsvReadOptions,
  chunking: Chunking,
  seed = 1,
) {
  try {
    const { columns, delimiter, rows, byteCount } = await read(input, options, chunking, seed);
    return { columns, delimiter, rows, byteCount };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    return { code: error.code, line: error.line, message: error.message };
  }
}
