import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let ajv: Ajv | undefined;

/**
 * A validator for `components.schemas.<name>` of the committed openapi.json (what clients
 * generate their types from), so a test can hold a real response to the documented shape.
 */
export function openApiSchema(name: string): ValidateFunction {
  if (ajv === undefined) {
    const document = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'openapi.json'), 'utf8'),
    ) as Record<string, unknown>;
    // Not strict: the document is OpenAPI 3.0, whose `nullable` ajv knows, among other words.
    ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(nullableReferences(document) as Record<string, unknown>, 'openapi.json');
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
