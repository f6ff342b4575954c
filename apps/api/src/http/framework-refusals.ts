import { PROBLEM_CONTENT_TYPE, ProblemException, sendProblem } from '@app/common';
import { Logger } from '@nestjs/common';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/** Longest URL (path and query) the API reads; longer ones are 414 before any work. */
export const MAX_URL_LENGTH = 8192;
/** Longest path parameter the router matches (an id, a slug); Fastify answers 414 beyond. */
export const MAX_PARAM_LENGTH = 200;
/** Node's limit on the request line and header fields together (its default, made explicit). */
export const MAX_HEADER_BYTES = 16_384;

const logger = new Logger('HTTP');

/**
 * Fastify's refusals raised in the router, before any hook runs (`frameworkErrors`):
 * they leave as problem+json like every other error, without echoing the URL back.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  sendProblem(routerRefusal(error) ?? error, request, reply, logger);
}

function routerRefusal(error: FastifyError): ProblemException | undefined {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new ProblemException(
        400,
        'bad-request',
        'The path is not valid percent-encoding (RFC 3986): a % must be followed by two hex digits forming UTF-8',
      );
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ProblemException(
        414,
        'uri-too-long',
        `A path segment is longer than ${MAX_PARAM_LENGTH} characters`,
      );
    default:
      return undefined;
  }
}

/** Refuses an over-long URL before authentication, validation or a database lookup. */
export function refuseLongUrls(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    if (request.url.length <= MAX_URL_LENGTH) return done();
    done(
      new ProblemException(
        414,
        'uri-too-long',
        `The URL is longer than ${MAX_URL_LENGTH} characters; send long inputs in a request body`,
      ),
    );
  });
}

interface ClientError extends Error {
  code?: string;
  reason?: string;
}

/** What the socket knows of the response in flight, if any (Node's own guard, see below). */
interface HttpSocket extends Duplex {
  _httpMessage?: { headersSent?: boolean } | null;
}

function clientErrorProblem(error: ClientError): { status: number; slug: string; detail: string } {
  switch (error.code ?? '') {
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        slug: 'headers-too-large',
        detail: `The request line and header fields together exceed ${MAX_HEADER_BYTES} bytes`,
      };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return {
        status: 413,
        slug: 'payload-too-large',
        detail: 'The chunk extensions of the body are too large',
      };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        slug: 'request-timeout',
        detail: 'The request did not arrive completely in time',
      };
    default:
      return {
        status: 400,
        slug: 'bad-request',
        // llhttp's reasons are fixed phrases ("Invalid header value char"), never client text.
        detail: `The request is not valid HTTP/1.1 (${error.code ?? 'unknown'}: ${error.reason ?? error.message})`,
      };
  }
}

/**
 * Node's parser refuses a request before Fastify sees it (malformed syntax, oversized head,
 * a timeout): there is no request object, so the whole HTTP/1.1 response is written on the
 * socket, as a problem with a fresh request id that is also logged.
 */
export function clientErrorHandler(error: ClientError, socket: Duplex): void {
  // A reset connection has nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const { status, slug, detail } = clientErrorProblem(error);
  const requestId = randomUUID();
  logger.log(
    { requestId, code: error.code, status },
    'Refused a request the HTTP parser could not read',
  );
  // As Node does: answer only if no response has started on this socket (a pipelined one).
  const inFlight = (socket as HttpSocket)._httpMessage;
  if (socket.writable && (inFlight === undefined || inFlight === null || !inFlight.headersSent)) {
    const title = STATUS_CODES[status] ?? 'Error';
    const body = JSON.stringify({
      type: `/problems/${slug}`,
      title,
      status,
      detail,
      // No request line was read, so the occurrence is named by its id instead of a path.
      instance: `urn:uuid:${requestId}`,
      requestId,
    });
    socket.write(
      `HTTP/1.1 ${status} ${title}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        `Date: ${new Date().toUTCString()}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
