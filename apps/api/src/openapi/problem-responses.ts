import type { OpenAPIObject } from '@nestjs/swagger';
import type { ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details; every error response has this shape.',
  required: ['type', 'title', 'status', 'detail', 'instance', 'requestId'],
  properties: {
    type: {
      type: 'string',
      description: 'URI reference naming the kind of problem',
      example: '/problems/validation-error',
    },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', example: 400 },
    detail: { type: 'string', example: 'The request is invalid: name: name must be a string' },
    instance: { type: 'string', description: 'The request path', example: '/v1/datasets' },
    requestId: { type: 'string', description: 'Same as the X-Request-Id response header' },
    errors: {
      type: 'array',
      description: 'Present for validation failures: one entry per invalid field',
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: {
          field: { type: 'string', example: 'metrics[3].value' },
          message: { type: 'string' },
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

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Documents the error contract on every operation: a `ProblemDetails` schema,
 * and `4XX`/`5XX` problem+json responses wherever a route does not describe
 * its own. Clients generated from the spec then know the shape of every error.
 */
export function addProblemResponses(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ProblemDetails = PROBLEM_SCHEMA as never;
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation === undefined) continue;
      const codes = Object.keys(operation.responses);
      if (!codes.some((code) => code.startsWith('4'))) {
        operation.responses['4XX'] = problemResponse('Client error (problem+json)');
      }
      if (!codes.some((code) => code.startsWith('5') && code !== '503')) {
        operation.responses['5XX'] = problemResponse('Server error (problem+json)');
      }
    }
  }
}
