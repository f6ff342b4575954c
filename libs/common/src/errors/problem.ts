import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** Bounds of a problem body (documented in its OpenAPI schema): an error answer stays small. */
export const MAX_PROBLEM_DETAIL_LENGTH = 16_384;
/** A validation problem lists this many fields at most. */
export const MAX_FIELD_ERRORS = 100;
/** Longest `field` or `message` of a listed field error. */
export const MAX_FIELD_ERROR_LENGTH = 1024;
/** Fields named in a validation problem's `detail` (all of them are in `errors`). */
const FIELDS_IN_DETAIL = 10;

/** `text`, or its start and an ellipsis when it is longer than `max` characters. */
export function cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One invalid field of a request, named the way the client sent it (`items[2].name`). */
export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details, as every error leaves the API. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

/**
 * Problem types are relative URIs under `/problems/`, documented in
 * `docs/problems.md`; plain HTTP failures without a more specific meaning use
 * `about:blank` as RFC 9457 recommends.
 */
export function problemType(slug: string | undefined): string {
  return slug === undefined ? 'about:blank' : `/problems/${slug}`;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/**
 * An error a service throws on purpose: a status, a stable problem type and a
 * human detail. The exception filter turns it into problem+json unchanged.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    readonly slug: string,
    detail: string,
    readonly fieldErrors?: FieldError[],
    /**
     * Extension members (RFC 9457 §3.2) the problem type documents, e.g. a refused
     * question's `columns`. They never replace a standard member.
     */
    readonly extensions?: Readonly<Record<string, unknown>>,
  ) {
    super(detail, status);
  }
}

/**
 * A refusal the client should repeat later (a busy server, a cap on what it holds open):
 * the response carries `Retry-After`, and it is not logged as a server error.
 */
export class RetryLaterException extends ProblemException {
  constructor(
    status: 429 | 503,
    slug: string,
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super(status, slug, detail);
  }
}

/**
 * A request whose body, query or parameters failed validation. A body with thousands of
 * bad items (or a huge unknown key) is named within the bounds above, not echoed whole.
 */
export class RequestValidationException extends ProblemException {
  constructor(errors: FieldError[]) {
    const listed = errors.slice(0, MAX_FIELD_ERRORS).map((error) => ({
      field: cutText(error.field, MAX_FIELD_ERROR_LENGTH),
      message: cutText(error.message, MAX_FIELD_ERROR_LENGTH),
    }));
    const named = listed.slice(0, FIELDS_IN_DETAIL).map((e) => `${e.field}: ${e.message}`);
    const more = errors.length - named.length;
    const summary = named.join('; ') + (more > 0 ? `; and ${more} more` : '');
    super(400, 'validation-error', `The request is invalid: ${summary}`, listed);
  }
}
