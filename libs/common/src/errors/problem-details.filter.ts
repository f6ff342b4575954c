import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER, resolveRequestId } from '../http/request-id';
import { toProblem } from './to-problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** `instance` echoes the URL; past this many characters (a 414, say) it is cut. */
const MAX_INSTANCE_LENGTH = 1024;

/**
 * The single exit for errors: every exception, from a guard, a pipe, a
 * controller or the router, leaves as `application/problem+json`. Unexpected
 * errors are logged once with their stack; client errors are not logged here
 * (the request log line already records their status).
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    sendProblem(
      exception,
      http.getRequest<FastifyRequest>(),
      http.getResponse<FastifyReply>(),
      this.logger,
    );
  }
}

/** Shared by the Nest filter and Fastify's own error handler (errors raised before routing). */
export function sendProblem(
  exception: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
): void {
  const requestId = resolveRequestId(request.raw);
  const instance =
    request.url.length > MAX_INSTANCE_LENGTH
      ? `${request.url.slice(0, MAX_INSTANCE_LENGTH - 1)}…`
      : request.url;
  const { body, unexpected, headers } = toProblem(exception, { instance, requestId });
  if (unexpected) {
    logger.error(
      { err: exception, requestId, method: request.method, url: request.url },
      'Unexpected error while serving a request',
    );
  }
  if (reply.sent) return;
  // A refused request whose body is still arriving (an upload refused for its credential,
  // say) would otherwise be read to the end and thrown away: close the connection instead.
  // The same for a body whose reader stopped early (an upload over its limit).
  if (!request.raw.complete) {
    void reply.header('connection', 'close');
  }
  for (const [name, value] of Object.entries(headers ?? {})) void reply.header(name, value);
  // Refusals raised before the hook that sets it (the router's) still carry the id.
  void reply
    .status(body.status)
    .header(REQUEST_ID_HEADER, requestId)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send(body);
}
