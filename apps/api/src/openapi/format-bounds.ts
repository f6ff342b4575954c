import type { OpenAPIObject } from '@nestjs/swagger';
import { MAX_PARAM_LENGTH } from '../http/framework-refusals';

/**
 * Lengths that a string format implies (validation of the format enforces them): a UUID
 * is 36 characters, a date 10, an ISO 8601 time with fractions and an offset under 40.
 */
const FORMAT_MAX_LENGTH: Record<string, number> = {
  uuid: 36,
  date: 10,
  'date-time': 40,
};

/** Adds `maxLength` to every string schema whose format already bounds it. */
export function addFormatBounds(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) addFormatBounds(item);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const schema = node as Record<string, unknown>;
  const bound = typeof schema.format === 'string' ? FORMAT_MAX_LENGTH[schema.format] : undefined;
  if (schema.type === 'string' && bound !== undefined && schema.maxLength === undefined) {
    schema.maxLength = bound;
  }
  for (const value of Object.values(schema)) addFormatBounds(value);
}

/**
 * Bounds that hold for the whole document: those of string formats, and the router's for
 * path parameters (a longer segment is a 414 before any route runs).
 */
export function addDocumentFormatBounds(document: OpenAPIObject): void {
  addFormatBounds(document.paths);
  addFormatBounds(document.components);
  for (const pathItem of Object.values(document.paths)) {
    for (const operation of Object.values(pathItem) as Array<{ parameters?: unknown[] }>) {
      for (const parameter of operation.parameters ?? []) {
        const { in: where, schema } = parameter as {
          in?: string;
          schema?: Record<string, unknown>;
        };
        if (where === 'path' && schema?.type === 'string' && schema.maxLength === undefined) {
          schema.maxLength = MAX_PARAM_LENGTH;
        }
      }
    }
  }
}
