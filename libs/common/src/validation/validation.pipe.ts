import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { type FieldError, RequestValidationException } from '../errors/problem';

function joinPath(parent: string, property: string): string {
  if (parent === '') return property;
  return /^\d+$/.test(property) ? `${parent}[${property}]` : `${parent}.${property}`;
}

/** Flattens class-validator's tree into one entry per failed constraint, with a dotted path. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = joinPath(parent, error.property);
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

/** Keys Nest's pipe deletes from a body (prototype pollution); JSON parsing refuses `__proto__`. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

/** Where `value` has an own key in {@link PROTOTYPE_KEYS}, as field paths. */
function prototypeKeyPaths(value: unknown, parent: string, found: string[] = []): string[] {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return found;
  if (Array.isArray(value)) {
    // Object.entries skips the holes of a sparse array (its length may be 2^32 − 1).
    for (const [i, item] of Object.entries(value))
      prototypeKeyPaths(item, joinPath(parent, i), found);
    return found;
  }
  for (const [key, item] of Object.entries(value)) {
    const field = joinPath(parent, key);
    if (PROTOTYPE_KEYS.includes(key)) found.push(field);
    else prototypeKeyPaths(item, field, found);
  }
  return found;
}

/**
 * Nest's pipe deletes `constructor` and `prototype` keys without a word, so a record key
 * or a dimension of that name vanished from what was stored; refused by name instead.
 */
class PrototypeKeyRefusingPipe extends ValidationPipe {
  protected override stripProtoKeys(value: unknown): void {
    const fields = prototypeKeyPaths(value, '');
    if (fields.length > 0) {
      throw new RequestValidationException(
        fields.slice(0, 20).map((field) => ({
          field,
          message: `${PROTOTYPE_KEYS.join(', ')} may not be used as keys`,
        })),
      );
    }
  }
}

/**
 * Whitelist, refuse unknown fields and prototype keys, transform to DTO classes, and
 * report every failed field at once as a problem+json 400.
 */
export function createValidationPipe(): ValidationPipe {
  return new PrototypeKeyRefusingPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(flattenValidationErrors(errors)),
  });
}
