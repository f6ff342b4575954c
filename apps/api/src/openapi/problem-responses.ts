import {
  OPENAPI_PERMISSION,
  OPENAPI_PUBLIC,
  OPENAPI_SIGNED,
  type Permission,
  type Role,
} from '@app/access';
import { OPENAPI_RATE_LIMIT_CLASS } from '@app/rate-limit';
import { MAX_FIELD_ERRORS, MAX_FIELD_ERROR_LENGTH, MAX_PROBLEM_DETAIL_LENGTH } from '@app/common';
import type { OpenAPIObject, OperationObject, ResponseObject } from '@nestjs/swagger';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; every error response has this shape.',
  required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
  properties: {
    type: {
      type: 'string',
      description: 'URI reference naming the kind of problem (docs/problems.md)',
      maxLength: 200,
      pattern: '^(about:blank|/problems/[a-z0-9-]+)$',
      example: '/problems/validation-error',
    },
    title: { type: 'string', maxLength: 200, example: 'Bad Request' },
    status: { type: 'integer', format: 'int32', minimum: 400, maximum: 599, example: 400 },
    detail: {
      type: 'string',
      maxLength: MAX_PROBLEM_DETAIL_LENGTH,
      example: 'The request is invalid: name: name must be a string',
    },
    instance: {
      type: 'string',
      description:
        'The request URL (cut at 1,024 characters), or `urn:uuid:<requestId>` when the request could not be read',
      maxLength: 1024,
      example: '/v1/datasets',
    },
    requestId: {
      type: 'string',
      description: 'Same as the X-Request-Id response header',
      maxLength: 128,
      pattern: '^[A-Za-z0-9._:-]{1,128}$',
    },
    errors: {
      type: 'array',
      description: `Present for validation failures: one entry per invalid field (the first ${MAX_FIELD_ERRORS})`,
      maxItems: MAX_FIELD_ERRORS,
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', maxLength: MAX_FIELD_ERROR_LENGTH, example: 'metrics[3].value' },
          message: { type: 'string', maxLength: MAX_FIELD_ERROR_LENGTH },
        },
      },
    },
  },
} as const;

function problemResponse(description: string): ResponseObject {
  return {
    description,
    content: {
      'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
    },
  };
}

const RATE_LIMITED: ResponseObject = {
  description: "Over the rate limit of the route's class (problem+json)",
  headers: { 'Retry-After': { $ref: '#/components/headers/Retry-After' } },
  content: {
    'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } },
  },
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface PermissionExtension {
  permission: Permission;
  roles: Role[];
}

/** Security, the required role and the signature rule, stated where a client reads them. */
function describeAccess(operation: OperationObject & Record<string, unknown>): void {
  // Every authenticated route is limited per caller; public ones only in the login class.
  if (operation[OPENAPI_PUBLIC] !== true || operation[OPENAPI_RATE_LIMIT_CLASS] !== undefined) {
    operation.responses['429'] ??= RATE_LIMITED;
  }
  if (operation[OPENAPI_PUBLIC] === true) {
    operation.security = [];
    return;
  }
  operation.security = [{ apiKey: [] }, { bearer: [] }];
  operation.responses['401'] ??= problemResponse('No valid credential (problem+json)');
  const access = operation[OPENAPI_PERMISSION] as PermissionExtension | undefined;
  const notes: string[] = [];
  if (access !== undefined) {
    notes.push(
      `Requires the \`${access.permission}\` permission (roles: ${access.roles.join(', ')}).`,
    );
    operation.responses['403'] ??= problemResponse('The role lacks the permission (problem+json)');
  }
  if (operation[OPENAPI_SIGNED] === true) {
    notes.push(
      'API-key callers must sign this request: `X-Signature: v1=<hex HMAC-SHA256>` over `timestamp\\nMETHOD\\npath-with-query\\nsha256hex(body)` keyed with the signing key `hex(HMAC-SHA256(key = apiKey, data = "sightline-request-signing-v1"))`, with `X-Signature-Timestamp` and a single-use `X-Signature-Nonce`.',
    );
  }
  if (notes.length > 0)
    operation.description = [operation.description, ...notes].filter(Boolean).join('\n\n');
}

/**
 * Documents the conventions every operation shares: the `ProblemDetails`
 * schema, `4XX`/`5XX` problem+json responses beside a route's own codes, the
 * 429 of rate-limited routes; and each route's security, permission and
 * signature rule.
 */
export function addProblemResponses(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ProblemDetails = PROBLEM_SCHEMA as never;
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (operation === undefined) continue;
      describeAccess(operation);
      // Ranges complement explicit codes: any other 4xx or 5xx is problem+json too.
      operation.responses['4XX'] ??= problemResponse('Client error (problem+json)');
      operation.responses['500'] ??= problemResponse(
        'An unexpected error (problem+json, no internal detail); quote its requestId',
      );
      operation.responses['5XX'] ??= problemResponse('Server error (problem+json)');
    }
  }
}
