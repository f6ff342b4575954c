import { type AppConfig, loadConfig } from '@app/config';
import type { UnitOfWork } from '@app/database';
import { Readable } from 'node:stream';
import type { CsvLoadOptions, CsvLoadResult } from '../ingest/csv-table-loader';
import type { ProfileThreadService } from '../ingest/profile-thread.service';
import type { DatasetTablesRepository } from '../repositories/dataset-tables.repository';
import type { DatasetUpload } from '../services/dataset-upload.service';

/** The configuration of a test, with `env` over it (environment variables as strings). */
export function uploadConfig(env: Record<string, string> = {}): AppConfig {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
}

/** An upload of `csv`, in chunks as a socket would give them. */
export function uploadOf(csv: string, fields: Partial<DatasetUpload> = {}): DatasetUpload {
  const bytes = Buffer.from(csv);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 4) chunks.push(bytes.subarray(at, at + 4));
  return {
    source: Readable.from(chunks),
    name: 'upload.csv',
    header: true,
    clientGone: () => false,
    ...fields,
  };
}

/** A transaction as the fake tables repository hands it out, with how it ended. */
export interface FakeUnit {
  id: number;
  outcome: 'open' | 'committed' | 'rolled back';
  /** Whether it came from a long slot (an upload) or is a rehearsal. */
  kind: 'upload' | 'rehearsal';
}

/**
 * DatasetTablesRepository without a database: a load reads the whole source and answers
 * a one-column result (or throws `failWith`), and each transaction says how it ended.
 */
export class FakeTables {
  readonly units: FakeUnit[] = [];
  readonly loads: Array<{ unit: FakeUnit; options: CsvLoadOptions; bytes: number }> = [];
  failWith: Error | undefined;
  /** Resolves the loads held by {@link hold}. */
  private held: Array<() => void> = [];
  private holding = false;

  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const resume of this.held.splice(0)) resume();
  }

  inUploadTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.run(work, 'upload');
  }

  inRolledBackTransaction<T>(work: (unit: UnitOfWork) => Promise<T>): Promise<T> {
    return this.run(work, 'rehearsal');
  }

  async loadCsv(
    unit: UnitOfWork,
    source: AsyncIterable<Uint8Array>,
    options: CsvLoadOptions,
  ): Promise<CsvLoadResult> {
    let bytes = 0;
    for await (const chunk of source) bytes += chunk.byteLength;
    if (this.holding) await new Promise<void>((resume) => this.held.push(resume));
    this.loads.push({ unit: unit as unknown as FakeUnit, options, bytes });
    if (this.failWith !== undefined) throw this.failWith;
    return {
      columns: [{ name: 'n', column: 'n', type: 'integer' }],
      rowCount: 2,
      byteSize: bytes,
      delimiter: options.delimiter ?? ',',
      profile: [],
      typeChanges: [],
    };
  }

  asRepository(): DatasetTablesRepository {
    return this as unknown as DatasetTablesRepository;
  }

  private async run<T>(work: (unit: UnitOfWork) => Promise<T>, kind: FakeUnit['kind']): Promise<T> {
    const unit: FakeUnit = { id: this.units.length + 1, outcome: 'open', kind };
    this.units.push(unit);
    try {
      const result = await work(unit as unknown as UnitOfWork);
      unit.outcome = kind === 'upload' ? 'committed' : 'rolled back';
      return result;
    } catch (error) {
      unit.outcome = 'rolled back';
      throw error;
    }
  }
}

/** ProfileThreadService that profiles on the caller's thread (the fake load never calls it). */
export const inlineProfiles = { open: () => undefined } as unknown as ProfileThreadService;
