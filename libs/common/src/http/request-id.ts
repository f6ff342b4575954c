import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const requestIds = new WeakMap<IncomingMessage, string>();
// A client-chosen id is echoed only if it is a plain token; anything else (log
// injection, absurd lengths) is replaced by a fresh one.
const ACCEPTABLE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The id of a request: the client's `X-Request-Id` when it is sane, otherwise a
 * new UUID. Memoised per raw request so the HTTP server, the logger and the
 * error filter all agree on one id.
 */
export function resolveRequestId(request: IncomingMessage): string {
  const known = requestIds.get(request);
  if (known !== undefined) return known;
  const header = request.headers[REQUEST_ID_HEADER];
  const candidate = Array.isArray(header) ? header[0] : header;
  const id = candidate !== undefined && ACCEPTABLE_ID.test(candidate) ? candidate : randomUUID();
  requestIds.set(request, id);
  return id;
}
