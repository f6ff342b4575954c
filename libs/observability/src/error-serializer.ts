import { stdSerializers } from 'pino';

/**
 * Fields of database errors that carry row values or bound parameters — a password hash, a
 * key hash, an email: TypeORM's `parameters`, PostgreSQL's `detail` ("Failing row contains
 * (…)"), `where` and `internalQuery`. They are dropped at any depth (TypeORM copies the
 * driver's fields onto its own error); the class, message, SQLSTATE, table, constraint and
 * the SQL text with its `$n` placeholders stay, which is what a diagnosis needs.
 */
const VALUE_FIELDS = new Set(['parameters', 'detail', 'where', 'internalQuery']);
const MAX_DEPTH = 6;

function scrub(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1));
  const kept: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    if (!VALUE_FIELDS.has(field)) kept[field] = scrub(inner, depth + 1);
  }
  return kept;
}

/** pino's error serializer, minus the fields that carry values (see {@link VALUE_FIELDS}). */
export function serializeError(error: unknown): unknown {
  return scrub(error instanceof Error ? stdSerializers.err(error) : error, 0);
}
