import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const validators = new Map<boolean, Ajv>();

/**
 * A validator for `components.schemas.<name>` of the committed openapi.json (what clients
 * generate their types from), so a test can hold a real response to the documented shape.
 *
 * `closed`: every object schema that lists its properties and says nothing of others
 * refuses others (`additionalProperties: false`), so a field the document does not
 * describe fails the test. The document itself stays open: clients tolerate new fields.
 */
export function openApiSchema(name: string, { closed = false } = {}): ValidateFunction {
  let ajv = validators.get(closed);
  if (ajv === undefined) {
    const document = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'),
    ) as Record<string, unknown>;
    // Not strict: the document is OpenAPI 3.0, whose `nullable` ajv knows, among other words.
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const schema = nullableReferences(closed ? closedObjects(document) : document);
    ajv.addSchema(schema as Record<string, unknown>, 'openapi.json');
    validators.set(closed, ajv);
  }
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`);
  if (validate === undefined) throw new Error(`openapi.json has no schema ${name}`);
  return validate;
}

/**
 * `{nullable: true, allOf: [{$ref}]}` is how OpenAPI 3.0 documents (Nest's among them) say
 * "this object or null", and how client generators read it (`X | null`); ajv applies
 * `nullable` to `type` only and would then refuse null in the `allOf`. Spelt out here as
 * JSON Schema says it.
 */
function nullableReferences(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableReferences);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, nullableReferences(value)]);
  const walked = Object.fromEntries(entries) as Record<string, unknown>;
  if (walked.nullable !== true || !Array.isArray(walked.allOf)) return walked;
  const { allOf, nullable: _nullable, type: _type, ...rest } = walked;
  return { ...rest, anyOf: [{ allOf }, { type: 'null' }] };
}

/** Object schemas with `properties` and no word on others, closed to others. */
function closedObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closedObjects);
  if (typeof node !== 'object' || node === null) return node;
  const entries = Object.entries(node).map(([key, value]) => [key, closedObjects(value)]);
  const walked = Object.fromEntries(entries) as Record<string, unknown>;
  const listsProperties = typeof walked.properties === 'object' && walked.properties !== null;
  if (!listsProperties || 'additionalProperties' in walked) return walked;
  return { ...walked, additionalProperties: false };
}
