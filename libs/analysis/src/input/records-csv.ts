import { csvField, type FieldError, RequestValidationException } from '@app/common';
import { headerNameFault, shownName } from '@app/datasets';

/** Field errors reported at most per request (the first ones, in record order). */
const MAX_REPORTED_ERRORS = 20;
/** Bytes per chunk handed to the CSV loader. */
const CHUNK_BYTES = 64 * 1024;

/**
 * Records (`{records: [...]}`) as the CSV the dataset upload path reads, so they are typed,
 * profiled and stored exactly like an uploaded file. Columns are the keys in first-seen
 * order; a key a record lacks, or `null`, is a missing value; `""` stays an empty string
 * (quoted, which the loader reads apart from a missing value). Nested objects and arrays
 * are refused by name (`records[3].tags`): a column holds one value per row.
 */
export function recordsToCsv(
  records: ReadonlyArray<Record<string, unknown>>,
  maxColumns: number,
): { columns: string[]; chunks: Buffer[] } {
  const columns = new Map<string, number>();
  const errors: FieldError[] = [];
  for (const [index, record] of records.entries()) {
    for (const [key, value] of Object.entries(record)) {
      if (key.trim() === '') {
        errors.push({ field: `records[${index}]`, message: 'keys must not be empty' });
        continue;
      }
      if (!columns.has(key)) {
        // The rule an uploaded header obeys, reported here by field like the rest.
        const fault = headerNameFault(key.trim());
        if (fault !== undefined) {
          errors.push({
            field: `records[${index}]`,
            message: `key ${shownName(key)} ${fault.reason}`,
          });
          continue;
        }
        columns.set(key, columns.size);
      }
      if (value !== null && !['string', 'number', 'boolean'].includes(typeof value)) {
        errors.push({
          field: `records[${index}].${key}`,
          message: 'must be a string, number, boolean or null (records are flat)',
        });
      }
    }
    if (errors.length >= MAX_REPORTED_ERRORS) break;
  }
  if (errors.length === 0 && columns.size === 0) {
    errors.push({ field: 'records', message: 'records must have at least one key' });
  }
  if (errors.length === 0 && columns.size > maxColumns) {
    errors.push({
      field: 'records',
      message: `records have ${columns.size} distinct keys; at most ${maxColumns} columns are allowed`,
    });
  }
  if (errors.length > 0) throw new RequestValidationException(errors.slice(0, MAX_REPORTED_ERRORS));

  const names = [...columns.keys()];
  const chunks: Buffer[] = [];
  let pending = names.map(csvField).join(',') + '\n';
  for (const record of records) {
    // Own keys only: `record.toString` of a record without that key is Object.prototype's.
    pending +=
      names.map((name) => cell(Object.hasOwn(record, name) ? record[name] : null)).join(',') + '\n';
    if (pending.length >= CHUNK_BYTES) {
      chunks.push(Buffer.from(pending, 'utf8'));
      pending = '';
    }
  }
  if (pending !== '') chunks.push(Buffer.from(pending, 'utf8'));
  return { columns: names, chunks };
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value === '' ? '""' : csvField(value);
  // Numbers and booleans only: anything else was refused above.
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}
