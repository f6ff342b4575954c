import type {
  HeaderObject,
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
} from '@nestjs/swagger';

/** Whole seconds or requests; a budget or window never needs more than 32 bits. */
const COUNT_SCHEMA = { type: 'integer', format: 'int32', minimum: 0, maximum: 2_147_483_647 };

/** The headers every response may carry, stated once under `components.headers`. */
const HEADERS: Record<string, HeaderObject> = {
  'X-Request-Id': {
    description:
      "The request's id: the client's `X-Request-Id` when it is a plain token, else a new UUID. Quote it when reporting a problem.",
    schema: { type: 'string', maxLength: 128, pattern: '^[A-Za-z0-9._:-]{1,128}$' },
  },
  'Access-Control-Allow-Origin': {
    description:
      'Present when the request came from a browser origin listed in `CORS_ORIGINS` (that origin, echoed); absent otherwise.',
    schema: { type: 'string', maxLength: 2048, format: 'uri' },
  },
  'RateLimit-Limit': {
    description: "Requests allowed per window in the route's rate-limit class",
    schema: COUNT_SCHEMA,
  },
  'RateLimit-Remaining': {
    description: 'Requests left in this window',
    schema: COUNT_SCHEMA,
  },
  'RateLimit-Reset': {
    description: 'Seconds until the window resets',
    schema: COUNT_SCHEMA,
  },
  'Retry-After': {
    description: 'Seconds until a retry can succeed',
    schema: COUNT_SCHEMA,
  },
};

const RATE_LIMIT_HEADERS = ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'];

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

function ref(name: string): ReferenceObject {
  return { $ref: `#/components/headers/${name}` };
}

/**
 * Documents the headers the HTTP pipeline adds to responses: `X-Request-Id` and CORS on
 * every one, and on a rate-limited route (one that documents a 429) the `RateLimit-*`
 * budget on its 2xx and 4xx answers. Run after the 429s are in place.
 */
export function addResponseHeaders(document: OpenAPIObject): void {
  document.components ??= {};
  document.components.headers = { ...document.components.headers, ...HEADERS };
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation: OperationObject | undefined = pathItem[method];
      if (operation === undefined) continue;
      const rateLimited = operation.responses['429'] !== undefined;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (response === undefined || '$ref' in response) continue;
        const headers = (response.headers ??= {});
        headers['X-Request-Id'] ??= ref('X-Request-Id');
        headers['Access-Control-Allow-Origin'] ??= ref('Access-Control-Allow-Origin');
        if (rateLimited && /^[24]/.test(status)) {
          for (const name of RATE_LIMIT_HEADERS) headers[name] ??= ref(name);
        }
      }
    }
  }
}
