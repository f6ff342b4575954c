import { HttpException } from '@nestjs/common';
import {
  cutText,
  MAX_PROBLEM_DETAIL_LENGTH,
  type ProblemDetails,
  ProblemException,
  problemType,
  RetryLaterException,
  statusTitle,
} from './problem';

export interface ProblemContext {
  instance: string;
  requestId: string;
}

export interface MappedProblem {
  body: ProblemDetails;
  /** True when the error was not an expected client or server condition: log it with its stack. */
  unexpected: boolean;
  /** Response headers the problem needs (`Retry-After` on a 503). */
  headers?: Record<string, string>;
}

/** How long a client should wait after a query-timeout before trying again. */
export const QUERY_TIMEOUT_RETRY_AFTER_SECONDS = 10;

interface FastifyLikeError {
  statusCode?: unknown;
  message: string;
}

/**
 * Slugs for plain statuses, the framework's own refusals included (Nest hands Fastify's
 * errors over as an `HttpException` with their status, so the status is all that is left).
 */
const STATUS_SLUGS: Record<number, string> = {
  400: 'bad-request',
  404: 'not-found',
  405: 'method-not-allowed',
  408: 'request-timeout',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  431: 'headers-too-large',
};

function isFastifyClientError(error: unknown): error is FastifyLikeError & { statusCode: number } {
  if (!(error instanceof Error)) return false;
  const { statusCode } = error as FastifyLikeError;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500;
}

/** The PostgreSQL error in `error`: itself, or the driver's error TypeORM wrapped. */
function databaseErrorOf(error: unknown): { code?: unknown; constraint?: unknown } | undefined {
  return [error, (error as { driverError?: unknown } | null)?.driverError].find(
    (candidate): candidate is { code?: unknown; constraint?: unknown } =>
      typeof candidate === 'object' &&
      candidate !== null &&
      typeof (candidate as { code?: unknown }).code === 'string',
  );
}

/**
 * SQLSTATE 57014 (query_canceled): `statement_timeout` fired, or an operator cancelled the
 * backend. Either way the server is overloaded or the request too big, not broken: a 503
 * the client can retry.
 */
function isQueryCanceled(error: unknown): boolean {
  return databaseErrorOf(error)?.code === '57014';
}

/**
 * SQLSTATE 23505 (unique_violation): the name of the unique constraint or index a write hit,
 * `''` when the server did not say which, undefined for any other error. The one place that
 * recognises it: a service that knows the constraint turns it into its own 409, and
 * {@link toProblem} answers any other one with a 409 `conflict` (a race two requests ran).
 */
export function uniqueViolationOf(error: unknown): string | undefined {
  const database = databaseErrorOf(error);
  if (database?.code !== '23505') return undefined;
  return typeof database.constraint === 'string' ? database.constraint : '';
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  if (typeof message === 'string') return message;
  return exception.message;
}

/** Maps anything thrown while serving a request to problem details of a bounded size. */
export function toProblem(exception: unknown, context: ProblemContext): MappedProblem {
  const mapped = mapException(exception, context);
  mapped.body.detail = cutText(mapped.body.detail, MAX_PROBLEM_DETAIL_LENGTH);
  return mapped;
}

/**
 * Maps anything thrown while serving a request to problem details. Only
 * deliberate errors contribute their message; anything else becomes a 500 whose
 * detail says nothing about the internals (no stack, no SQL, no driver text).
 */
function mapException(exception: unknown, context: ProblemContext): MappedProblem {
  const base = { instance: context.instance, requestId: context.requestId };

  if (exception instanceof ProblemException) {
    const status = exception.getStatus();
    const body: ProblemDetails = {
      ...exception.extensions,
      type: problemType(exception.slug),
      title: statusTitle(status),
      status,
      detail: exception.message,
      ...base,
    };
    if (exception.fieldErrors !== undefined) body.errors = exception.fieldErrors;
    if (exception instanceof RetryLaterException) {
      return {
        body,
        unexpected: false,
        headers: { 'retry-after': String(exception.retryAfterSeconds) },
      };
    }
    return { body, unexpected: status >= 500 };
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const detail =
      status === 404 && exception.message.startsWith('Cannot ')
        ? `No route matches ${exception.message.replace(/^Cannot /, '')}`
        : httpExceptionDetail(exception);
    return {
      body: {
        type: problemType(STATUS_SLUGS[status]),
        title: statusTitle(status),
        status,
        detail,
        ...base,
      },
      unexpected: status >= 500,
    };
  }

  if (isFastifyClientError(exception)) {
    const status = exception.statusCode;
    const slug = STATUS_SLUGS[status];
    const detail =
      exception instanceof SyntaxError
        ? `The body is not valid JSON: ${exception.message}`
        : exception.message;
    return {
      body: { type: problemType(slug), title: statusTitle(status), status, detail, ...base },
      unexpected: false,
    };
  }

  if (uniqueViolationOf(exception) !== undefined) {
    return {
      body: {
        type: problemType('conflict'),
        title: statusTitle(409),
        status: 409,
        detail:
          'The request conflicts with an existing resource: a value that must be unique is taken',
        ...base,
      },
      unexpected: false,
    };
  }

  if (isQueryCanceled(exception)) {
    return {
      body: {
        type: problemType('query-timeout'),
        title: statusTitle(503),
        status: 503,
        detail:
          'The database cancelled the query: it ran longer than allowed. Retry later, or ask ' +
          'for less (a narrower range, a longer interval, fewer groups).',
        ...base,
      },
      unexpected: true,
      headers: { 'retry-after': String(QUERY_TIMEOUT_RETRY_AFTER_SECONDS) },
    };
  }

  return {
    body: {
      type: problemType(undefined),
      title: statusTitle(500),
      status: 500,
      detail: 'An unexpected error occurred. Quote the requestId when reporting it.',
      ...base,
    },
    unexpected: true,
  };
}
